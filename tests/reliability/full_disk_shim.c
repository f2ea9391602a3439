/* A full disk for the full-disk trials (full_disk.py), loaded with LD_PRELOAD into `folio`: writes to files under
 * FOLIO_FULL_DISK_DIR succeed until FOLIO_FULL_DISK_FREE bytes have been written there, and then fail with ENOSPC,
 * as they would on a disk that has run out of space. Writes elsewhere (the terminal, pipes, other folders) are left
 * alone. Only for tests: each write looks its file up in /proc. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static atomic_llong written;

/* Whether a write of `count` bytes to `fd` would fill the disk; the bytes are counted when it would not. */
static int full(int fd, size_t count)
{
    const char* dir = getenv("FOLIO_FULL_DISK_DIR");
    const char* budget = getenv("FOLIO_FULL_DISK_FREE");
    if (!dir || !budget || count == 0) return 0;
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0) return 0;
    path[n] = '\0';
    if (strncmp(path, dir, strlen(dir)) != 0) return 0;
    if (atomic_fetch_add(&written, (long long)count) + (long long)count > atoll(budget)) {
        atomic_fetch_sub(&written, (long long)count);
        errno = ENOSPC;
        return 1;
    }
    return 0;
}

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

ssize_t write(int fd, const void* buf, size_t count)
{
    if (full(fd, count)) return -1;
    return NEXT(write)(fd, buf, count);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset)
{
    if (full(fd, count)) return -1;
    return NEXT(pwrite)(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off64_t offset)
{
    if (full(fd, count)) return -1;
    return NEXT(pwrite64)(fd, buf, count, offset);
}

ssize_t writev(int fd, const struct iovec* iov, int iovcnt)
{
    size_t count = 0;
    for (int i = 0; i < iovcnt; ++i) count += iov[i].iov_len;
    if (full(fd, count)) return -1;
    return NEXT(writev)(fd, iov, iovcnt);
}
