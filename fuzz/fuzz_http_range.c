/*
 * fuzz_http_range.c — evt_http_range on any header value and resource
 * size (the input's first 8 bytes, big-endian; small sizes are likelier,
 * where the edge cases are). A range it grants lies inside the resource;
 * anything else is one of its two refusals.
 */
#include "eventide/http.h"
#include "eventide/platform.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_input_t in = {data, size};
  uint64_t res = 0, first = 0, last = 0;
  uint8_t width = fuzz_byte(&in) % 9; /* how many size bytes follow */
  int rc;
  for (uint8_t i = 0; i < width; i++)
    res = res << 8 | fuzz_byte(&in);
  rc = evt_http_range((const char *)in.p, in.n, res, &first, &last);
  if (rc == 0)
    FUZZ_CHECK(first <= last && last < res);
  else
    FUZZ_CHECK(rc == EVT_ERANGE || rc == EVT_ENOTSUP);
  return 0;
}
