/*
 * cli_version.c - `rollsense --version`: the program, protocol and library
 * versions, and whether the firmware image beside the program is the one
 * built with it.
 *
 * The build copies the image to <prefix>/share/rollsense/rollsense-fw.hex
 * (build tree: build/<preset>/share/rollsense) and compiles its SHA-256 into
 * the program (rs_fw_image_sha256, cmake/firmware-image.cmake). The image is
 * looked for relative to the running executable, so an installed program
 * checks the installed image and a build-tree program the build's.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <sqlite3.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "rs_proto.h"

extern const char rs_fw_image_sha256[];

/* ---- SHA-256 (FIPS 180-4), enough to hash one file ---- */
struct rs_sha256 {
    uint32_t h[8];
    uint8_t block[64];
    size_t fill;
    uint64_t bytes;
};

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha_block(struct rs_sha256 *s, const uint8_t *p)
{
    uint32_t w[64], v[8];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(v, s->h, sizeof v);
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) +
                      ((v[4] & v[5]) ^ (~v[4] & v[6])) + sha_k[i] + w[i];
        uint32_t t2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) +
                      ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
        memmove(v + 1, v, 7 * sizeof v[0]);
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        s->h[i] += v[i];
}

static void sha_init(struct rs_sha256 *s)
{
    static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    memcpy(s->h, h0, sizeof h0);
    s->fill = 0;
    s->bytes = 0;
}

static void sha_update(struct rs_sha256 *s, const uint8_t *p, size_t n)
{
    s->bytes += n;
    while (n > 0) {
        size_t take = 64 - s->fill < n ? 64 - s->fill : n;
        memcpy(s->block + s->fill, p, take);
        s->fill += take;
        p += take;
        n -= take;
        if (s->fill == 64) {
            sha_block(s, s->block);
            s->fill = 0;
        }
    }
}

/* The digest as 64 lower-case hex digits into hex[65]. */
static void sha_final(struct rs_sha256 *s, char hex[65])
{
    uint64_t bits = s->bytes * 8;
    uint8_t pad[72] = { 0x80 };
    size_t padlen = (s->fill < 56 ? 56 : 120) - s->fill;
    for (int i = 0; i < 8; i++)
        pad[padlen + (size_t)i] = (uint8_t)(bits >> (56 - 8 * i));
    sha_update(s, pad, padlen + 8);
    for (int i = 0; i < 8; i++)
        snprintf(hex + 8 * i, 9, "%08x", (unsigned)s->h[i]);
}

/* SHA-256 of the file at path into hex[65]: 0, or -1 if it cannot be read. */
static int rs_cli_sha256_file(const char *path, char hex[65])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    struct rs_sha256 s;
    uint8_t buf[4096];
    size_t n;
    sha_init(&s);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha_update(&s, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return -1;
    sha_final(&s, hex);
    return 0;
}

/* <dir of the rollsense program that was run>/RS_FW_IMAGE_REL into
 * path[cap]: 0, or -1. That program is the one in RS_LAUNCHER when
 * rollsense handed the command to rollsense-full (main.c), else this one. */
static int image_path(char *path, size_t cap)
{
    char exe[4096];
    const char *launcher = getenv("RS_LAUNCHER");
    if (launcher && *launcher && strlen(launcher) < sizeof exe) {
        strcpy(exe, launcher);
    } else {
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n <= 0)
            return -1;
        exe[n] = '\0';
    }
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    char joined[4200];
    int w = snprintf(joined, sizeof joined, "%s/%s", exe, RS_FW_IMAGE_REL);
    if (w <= 0 || (size_t)w >= sizeof joined || strlen(joined) >= cap)
        return -1;
    /* bin/../share/... reads better as share/...; a missing file keeps the
     * joined form, which still says where it was looked for. */
    char real[PATH_MAX];
    if (realpath(joined, real) && strlen(real) < cap)
        strcpy(path, real);
    else
        strcpy(path, joined);
    return 0;
}

/* One line about the firmware image: not built, missing, matching or not. */
static void rs_cli_print_firmware_match(FILE *out, const char *expected, const char *path)
{
    char got[65];
    if (expected[0] == '\0')
        fprintf(out, "firmware image: not built with this program (no AVR toolchain at build time)\n");
    else if (!path || rs_cli_sha256_file(path, got) != 0)
        fprintf(out, "firmware image: missing or unreadable (looked for %s)\n",
                path ? path : RS_FW_IMAGE_REL);
    else if (strcmp(got, expected) == 0)
        fprintf(out, "firmware image: %s matches this build (sha256 %.16s)\n", path, got);
    else
        fprintf(out, "firmware image: %s does NOT match this build (sha256 %.16s, built %.16s)\n",
                path, got, expected);
}

int rs_cli_version(void)
{
    SDL_version sdl_run, sdl_built;
    SDL_GetVersion(&sdl_run);
    SDL_VERSION(&sdl_built);
    const SDL_version *ttf = TTF_Linked_Version();
    const SDL_version *img = IMG_Linked_Version();
    printf("rollsense %s (protocol v%u)\n", RS_VERSION_STRING, (unsigned)RS_PROTO_VERSION);
    printf("SDL %u.%u.%u (built with %u.%u.%u), SDL_ttf %u.%u.%u, SDL_image %u.%u.%u\n",
           sdl_run.major, sdl_run.minor, sdl_run.patch, sdl_built.major, sdl_built.minor,
           sdl_built.patch, ttf->major, ttf->minor, ttf->patch, img->major, img->minor, img->patch);
    printf("SQLite %s\n", sqlite3_libversion());
    char path[4200];
    rs_cli_print_firmware_match(stdout, rs_fw_image_sha256,
                                image_path(path, sizeof path) == 0 ? path : NULL);
    return RS_EXIT_OK;
}
