"""An interactive console session: the terminal in raw mode, relayed to a
guest console fd until the escape character (virsh -e, default ^]) or
until the console closes."""
import os
import select


def escape_byte(sequence):
    """The byte of an escape sequence like "^]" (control character) or "x"."""
    if len(sequence) == 2 and sequence[0] == "^":
        return bytes([ord(sequence[1].upper()) ^ 0x40])
    return sequence.encode()[:1]


def run(fd, escape="^]", stdin=0, stdout=1):
    """Relay until the escape byte is typed or *fd* closes; closes *fd*."""
    import termios
    import tty
    saved = termios.tcgetattr(stdin)
    stop = escape_byte(escape)
    try:
        tty.setraw(stdin)
        while True:
            ready = select.select([stdin, fd], [], [])[0]
            if stdin in ready:
                data = os.read(stdin, 1024)
                typed, escaped, _ = data.partition(stop)
                if typed:
                    os.write(fd, typed)
                if escaped or not data:
                    break
            if fd in ready:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                os.write(stdout, data)
    finally:
        termios.tcsetattr(stdin, termios.TCSAFLUSH, saved)
        os.close(fd)
        os.write(stdout, b"\n")
