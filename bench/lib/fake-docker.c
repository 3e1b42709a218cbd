/*
 * Fake `docker` for bench/cold-start.mjs. The first thing it does is read
 * CLOCK_MONOTONIC (the clock behind Node's process.hrtime) and append
 * "<ns> <argv[1]>\n" to $BENCH_STAMP_FILE, so the parent can compute
 * "spawn of node -> exec of the first docker" without any shell in between.
 * Built static (gcc -O2 -static) so its own exec cost is tiny and identical
 * for every variant. Then it answers the startup probe plausibly:
 *   docker version --format {{json .}}  -> client + server JSON, exit 0
 *   docker buildx version               -> "unknown command", exit 1 (no buildx, like the test bed)
 *   anything else                       -> exit 0
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const char *file = getenv("BENCH_STAMP_FILE");
  if (file && *file) {
    char line[256];
    int n = snprintf(line, sizeof line, "%lld %s\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec, argc > 1 ? argv[1] : "");
    int fd = open(file, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd >= 0) {
      if (write(fd, line, (size_t)n) < 0) { /* ignore */ }
      close(fd);
    }
  }
  if (argc > 1 && strcmp(argv[1], "version") == 0) {
    static const char json[] =
        "{\"Client\":{\"Version\":\"28.2.2\",\"ApiVersion\":\"1.41\",\"Os\":\"linux\",\"Arch\":\"amd64\"},"
        "\"Server\":{\"Version\":\"20.10.24\",\"ApiVersion\":\"1.41\",\"Os\":\"linux\",\"Arch\":\"amd64\"}}\n";
    if (write(1, json, sizeof json - 1) < 0) return 1;
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "buildx") == 0) {
    static const char msg[] = "docker: unknown command: docker buildx\n";
    if (write(2, msg, sizeof msg - 1) < 0) return 1;
    return 1;
  }
  return 0;
}
