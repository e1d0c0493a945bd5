/*
 * fixture.h — a header for the API reference checker's own test
 * (tests/apiref/test.sh): exactly one public function in it,
 * evt_fix_undocumented, has no comment.
 */
#ifndef FIXTURE_H
#define FIXTURE_H

#ifdef __cplusplus
extern "C" {
#endif

/* Documented by a comment of its own. */
int evt_fix_documented(int x);

/* A comment followed by a blank line documents nothing below it. */

int evt_fix_undocumented(int x);

/* One comment for a pair, with no blank line between: it documents both. */
void evt_fix_set_level(int level);
int evt_fix_get_level(void);

int evt_fix_trailing(void); /* a comment after the ';' documents it too */

/* Internal names are neither listed nor checked. */
int evt__fix_internal(void);

#define EVT__FIX_DECLARE(kind)                                                 \
  int evt_fix_##kind##_open(void);                                             \
  int evt_fix_##kind##_shut(void);

/* ---- declared through a macro ---- */

/* Open and shut the door: this comment documents both functions that the
 * macro invocation below declares. */
EVT__FIX_DECLARE(door)

/* An inline function is checked like any other. */
static inline int evt_fix_inline(void) { return evt_fix_get_level() + 1; }

#ifdef __cplusplus
}
#endif
#endif
