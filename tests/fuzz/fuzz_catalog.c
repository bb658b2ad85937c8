/*
 * fuzz_catalog.c - libFuzzer target for the session catalog's parser
 * (host/history/rs_catfmt.c, docs/catalog.md): the file beside the sessions
 * may be cut short, hand-edited or damaged.
 *
 * Contract checked: any bytes give 0 or -1; -1 leaves the catalog empty
 * with a one-line reason; 0 gives a catalog whose text, parsed again,
 * formats to the same text (nothing lost or invented in a round trip);
 * never a crash, leak or undefined behaviour (ASan + UBSan).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rs_catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rs_catalog c, d;
    char err[256] = "";
    rs_catalog_init(&c);
    rs_catalog_init(&d);
    if (rs_cat_parse((const char *)data, size, &c, err, sizeof err) != 0) {
        if (c.n != 0 || !err[0] || strchr(err, '\n'))
            abort();
        return 0;
    }
    size_t len, len2;
    char *text = rs_cat_format(&c, &len);
    if (!text || rs_cat_parse(text, len, &d, err, sizeof err) != 0 || d.n != c.n)
        abort();
    char *again = rs_cat_format(&d, &len2);
    if (!again || len2 != len || memcmp(text, again, len) != 0)
        abort();
    free(again);
    free(text);
    rs_catalog_free(&c);
    rs_catalog_free(&d);
    return 0;
}
