/*
 * http_private.h — internals of eventide/http.h that tests reach.
 */
#ifndef EVENTIDE_SRC_HTTP_HTTP_PRIVATE_H
#define EVENTIDE_SRC_HTTP_HTTP_PRIVATE_H

/* Non-zero: evt_http_open_beneath skips openat2 and walks the path one
 * O_NOFOLLOW component at a time, as on kernels without openat2. */
extern int evt__http_force_walk;

#endif
