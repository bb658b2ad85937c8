#include <stdio.h>
#include "ui_harness.h"
#include "rs_viewscript.h"
int main(int argc, char **argv)
{
    ui_harness_sdl_init();
    static const int sz[][2] = { { 1280, 800 }, { 800, 480 } };
    for (int i = 0; i < 2; i++) {
        struct ui_harness u;
        if (ui_harness_open(&u, sz[i][0], sz[i][1])) return 1;
        for (int s = 0; s < RS_VS_COUNT; s++) {
            static struct rs_view v;
            rs_viewscript_state(&v, (enum rs_viewscript_state)s);
            struct rs_overlay ov = { .volume_pct = 80 };
            ui_harness_render(&u, &v, &ov);
            char name[64];
            snprintf(name, sizeof name, "%s-%dx%d", rs_viewscript_name(s), sz[i][0], sz[i][1]);
            ui_harness_save_png(&u, argc > 1 ? argv[1] : "out", name);
        }
        ui_harness_close(&u);
    }
    return 0;
}
