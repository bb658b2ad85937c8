/*
 * cmd_decode.c - `rollsense decode FILE|-`: print every frame of a raw
 * captured byte stream as one JSON object per line, then a summary object
 * with the decoder's error counters.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rs_frame_json.h"
#include "rs_proto.h"

static void help(void)
{
    printf("usage: rollsense decode FILE|-\n"
           "\n"
           "Decode a raw byte stream captured from a roller (or '-' for standard\n"
           "input) and print each frame as one JSON object per line, then one\n"
           "{\"type\":\"summary\",...} object with the frame count and the counts of\n"
           "CRC errors, framing errors, oversize frames, unknown types, short\n"
           "bodies and foreign protocol versions. Corrupt bytes are skipped.\n");
}

int rs_cmd_decode(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (rs_cli_is_help(argv[i])) {
            help();
            return RS_EXIT_OK;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            rs_cli_error("decode: unknown option '%s'", argv[i]);
            return RS_EXIT_USAGE;
        }
        if (path) {
            rs_cli_error("decode: takes one FILE (or -), got '%s' and '%s'", path, argv[i]);
            return RS_EXIT_USAGE;
        }
        path = argv[i];
    }
    if (!path) {
        rs_cli_error("decode: missing FILE (use - for standard input)");
        return RS_EXIT_USAGE;
    }

    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!in) {
        rs_cli_error("decode: cannot open '%s': %s", path, strerror(errno));
        return RS_EXIT_FAIL;
    }

    struct rs_decoder dec;
    rs_decoder_init(&dec);
    struct rs_frame f;
    unsigned char chunk[4096];
    char line[512];
    unsigned long long total = 0;
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) {
        total += n;
        for (size_t i = 0; i < n; i++)
            if (rs_decoder_push(&dec, chunk[i], &f))
                puts(rs_frame_json(&f, line, sizeof line));
    }
    int failed = ferror(in);
    if (in != stdin)
        fclose(in);
    if (failed) {
        rs_cli_error("decode: read error on '%s'", path);
        return RS_EXIT_FAIL;
    }
    /* A frame still open at the end of the capture was cut off: count it. */
    if (dec.len > 0)
        dec.stats.framing_errors++;
    puts(rs_decoder_stats_json(&dec.stats, total, line, sizeof line));
    return RS_EXIT_OK;
}
