/*
 * version_nofw.c - `rollsense --version` as a build without the firmware
 * image prints it: cli_version.c linked with an empty image digest (what
 * cmake/firmware-image.cmake generates without avr-gcc). Run by
 * version_test.sh, which expects "not built with this program".
 */
#include "cli.h"

const char rs_fw_image_sha256[] = "";

int main(void)
{
    return rs_cli_version();
}
