/*
 * error.c — names and messages for eventide's error codes (negated errno).
 */
#include <string.h>

#include "eventide/platform.h"

const char *evt_strerror(int err) {
  switch (err) {
#define EVT__ERRNO_MSG(name, msg)                                              \
  case EVT_##name:                                                             \
    return msg;
    EVT_ERRNO_MAP(EVT__ERRNO_MSG)
#undef EVT__ERRNO_MSG
#define EVT__EAI_MSG(name, value, msg)                                         \
  case EVT_##name:                                                             \
    return msg;
    EVT_EAI_MAP(EVT__EAI_MSG)
#undef EVT__EAI_MSG
#define EVT__EZ_MSG(name, value, code, msg)                                    \
  case EVT_##name:                                                             \
    return msg;
    EVT_EZ_MAP(EVT__EZ_MSG)
#undef EVT__EZ_MSG
  case EVT_EAGGREGATE:
    return "all promises were rejected";
  case EVT_EOF:
    return "end of file";
#define EVT__STREAM_ERR_MSG(name, value, msg)                                  \
  case EVT_##name:                                                             \
    return msg;
    EVT_STREAM_ERR_MAP(EVT__STREAM_ERR_MSG)
    EVT_HTTP_ERR_MAP(EVT__STREAM_ERR_MSG)
#undef EVT__STREAM_ERR_MSG
  default:
    /* Not in our table: the C library knows every errno. */
    return err < 0 && err > -4096 ? strerror(-err) : "unknown error";
  }
}

const char *evt_err_name(int err) {
  switch (err) {
#define EVT__ERRNO_NAME(name, msg)                                             \
  case EVT_##name:                                                             \
    return #name;
    EVT_ERRNO_MAP(EVT__ERRNO_NAME)
#undef EVT__ERRNO_NAME
#define EVT__EAI_NAME(name, value, msg)                                        \
  case EVT_##name:                                                             \
    return #name;
    EVT_EAI_MAP(EVT__EAI_NAME)
#undef EVT__EAI_NAME
#define EVT__EZ_NAME(name, value, code, msg)                                   \
  case EVT_##name:                                                             \
    return code;
    EVT_EZ_MAP(EVT__EZ_NAME)
#undef EVT__EZ_NAME
  case EVT_EAGGREGATE:
    return "EAGGREGATE";
  case EVT_EOF:
    return "EOF";
#define EVT__STREAM_ERR_NAME(name, value, msg)                                 \
  case EVT_##name:                                                             \
    return #name;
    EVT_STREAM_ERR_MAP(EVT__STREAM_ERR_NAME)
    EVT_HTTP_ERR_MAP(EVT__STREAM_ERR_NAME)
#undef EVT__STREAM_ERR_NAME
  default:
    return "UNKNOWN";
  }
}
