/* rs_scenario_file.c - see rs_scenario_file.h. */
#include "rs_scenario_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_file.h"

int rs_scenario_load(struct rs_scenario *scn, const char *src, char *err, size_t errcap)
{
    const char *text;
    char *owned = NULL;
    if (strncmp(src, "builtin:", 8) == 0) {
        text = rs_scenario_builtin(src + 8);
        if (!text) {
            snprintf(err, errcap, "no built-in scenario '%s' (there are demo and quick)", src + 8);
            return -1;
        }
    } else if ((text = rs_scenario_builtin(src)) == NULL) {
        char why[400];
        owned = rs_read_text_file(src, RS_SCENARIO_FILE_MAX, NULL, why, sizeof why);
        if (!owned) {
            snprintf(err, errcap, "'%s' is neither a built-in scenario (demo, quick) nor a "
                                  "scenario file: %s", src, why);
            return -1;
        }
        text = owned;
    }
    int rc = rs_scenario_parse(scn, text, src, err, errcap);
    free(owned);
    return rc < 0 ? -1 : 0;
}
