/* Layout and constants of termios.h / sys/ioctl.h as the Termios binding uses them (src/main/ffm/termios.txt). */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <termios.h>
#include "probe.h"

int main(void) {
    SIZEOF(termios);
    OFFSETOF(termios, c_iflag); OFFSETOF(termios, c_oflag); OFFSETOF(termios, c_cflag); OFFSETOF(termios, c_lflag);
    OFFSETOF(termios, c_line); OFFSETOF(termios, c_cc); OFFSETOF(termios, c_ispeed); OFFSETOF(termios, c_ospeed);
    SIZEOF(winsize);
    OFFSETOF(winsize, ws_row); OFFSETOF(winsize, ws_col); OFFSETOF(winsize, ws_xpixel); OFFSETOF(winsize, ws_ypixel);
    CONSTANT(TCSANOW); CONSTANT(TCSADRAIN); CONSTANT(TCGETS); CONSTANT(TIOCGWINSZ); CONSTANT(TIOCSWINSZ);
    return 0;
}
