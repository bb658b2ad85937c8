/*
 * test_protocol_doc.c - the worked examples of docs/protocol.md are true.
 *
 * For every ```hex block in the document: decoding it must give exactly the
 * JSON on the following "Decodes to:" line (and re-encoding that frame must
 * give the same bytes), or must be dropped and counted under the counter
 * named on a "Counted as:" line. The path of the document is argv[1].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rs_frame_json.h"
#include "rs_proto.h"

static const char *doc_path;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char text[1 << 17];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

/* Value between the first pair of backquotes on the line starting at p. */
static int quoted(const char *p, char *out, size_t cap)
{
    const char *a = strchr(p, '`');
    const char *nl = strchr(p, '\n');
    if (!a || (nl && a > nl))
        return -1;
    const char *b = strchr(a + 1, '`');
    if (!b || (size_t)(b - a - 1) >= cap)
        return -1;
    memcpy(out, a + 1, (size_t)(b - a - 1));
    out[b - a - 1] = '\0';
    return 0;
}

static void test_examples(void **state)
{
    (void)state;
    char *text = slurp(doc_path);
    assert_non_null(text);
    int examples = 0, decoded = 0, counted = 0;
    for (char *p = strstr(text, "```hex\n"); p; p = strstr(p, "```hex\n")) {
        p += 7;
        char *end = strstr(p, "```");
        assert_non_null(end);
        uint8_t bytes[256];
        size_t n = 0;
        for (char *q = p; q < end;) {
            unsigned v;
            int used;
            if (sscanf(q, " %2x%n", &v, &used) != 1)
                break;
            assert_true(n < sizeof bytes);
            bytes[n++] = (uint8_t)v;
            q += used;
        }
        assert_true(n > 0);
        examples++;

        struct rs_decoder d;
        rs_decoder_init(&d);
        struct rs_frame f;
        int got = 0;
        for (size_t i = 0; i < n; i++)
            got += rs_decoder_push(&d, bytes[i], &f);

        char *decl = strstr(end, "Decodes to:");
        char *cnt = strstr(end, "Counted as:");
        char *next = strstr(end + 3, "```hex\n");
        char want[512];
        if (decl && (!next || decl < next) && (!cnt || decl < cnt)) {
            assert_int_equal(quoted(decl, want, sizeof want), 0);
            assert_int_equal(got, 1);
            char json[512];
            const char *line = rs_frame_json(&f, json, sizeof json);
            assert_non_null(line);
            if (strcmp(line, want) != 0)
                fail_msg("example %d: the document says %s but the code decodes %s",
                         examples, want, line);
            uint8_t wire[RS_WIRE_MAX];
            size_t m = rs_frame_encode(&f, wire);
            assert_int_equal(m, n);
            assert_memory_equal(wire, bytes, n);
            decoded++;
        } else {
            assert_non_null(cnt);
            assert_true(!next || cnt < next);
            assert_int_equal(quoted(cnt, want, sizeof want), 0);
            assert_int_equal(got, 0);
            uint32_t v = strcmp(want, "unknown_type") == 0 ? d.stats.unknown_type
                         : strcmp(want, "bad_version") == 0 ? d.stats.bad_version
                         : strcmp(want, "crc_errors") == 0  ? d.stats.crc_errors
                                                            : 0;
            if (v != 1)
                fail_msg("example %d: expected counter %s to be 1", examples, want);
            counted++;
        }
        p = end + 3;
    }
    /* Every frame type has an example, plus the skipped kinds. */
    assert_true(decoded >= 15);
    assert_true(counted >= 2);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_protocol_doc docs/protocol.md\n");
        return 2;
    }
    doc_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
