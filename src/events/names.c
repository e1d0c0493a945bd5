/*
 * names.c — event names interned once per process, and symbols.
 *
 * Interning makes emit a pointer comparison. The table is an open-
 * addressing hash set of records that are never freed (names live as long
 * as the process, like string literals), guarded by a mutex because any
 * thread may intern; lookups happen when a program sets up, not per emit.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "events/events.h"

const struct evt_event_s evt_event_error_key = {"error", -1, 0, NULL};
const struct evt_event_s evt_event_new_listener_key = {"newListener", -1, 0, NULL};
const struct evt_event_s evt_event_remove_listener_key = {"removeListener",
                                                       -1, 0, NULL};
const struct evt_event_s evt_event_error_monitor_key = {"events.errorMonitor",
                                                     -1, 1, NULL};

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static const struct evt_event_s **table; /* power-of-two slots */
static size_t table_slots, table_used;
static const struct evt_event_s *symbols;

static uint64_t hash_name(const char *s) { /* FNV-1a */
  uint64_t h = 14695981039346656037ull;
  for (; *s != '\0'; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

/* The slot holding name, or the empty slot where it belongs. */
static size_t find_slot(const struct evt_event_s **slots, size_t n,
                        const char *name) {
  size_t i = (size_t)hash_name(name) & (n - 1);
  while (slots[i] != NULL && strcmp(slots[i]->name, name) != 0)
    i = (i + 1) & (n - 1);
  return i;
}

static int table_insert(const struct evt_event_s *ev);

/* Keep the load under one half. */
static int table_grow(void) {
  size_t n = table_slots == 0 ? 64 : table_slots * 2;
  const struct evt_event_s **slots = calloc(n, sizeof(*slots));
  if (slots == NULL)
    return -1;
  for (size_t i = 0; i < table_slots; i++)
    if (table[i] != NULL)
      slots[find_slot(slots, n, table[i]->name)] = table[i];
  free(table);
  table = slots;
  table_slots = n;
  return 0;
}

static int table_insert(const struct evt_event_s *ev) {
  if ((table_used + 1) * 2 > table_slots && table_grow() != 0)
    return -1;
  table[find_slot(table, table_slots, ev->name)] = ev;
  table_used++;
  return 0;
}

/* The names Node gives meaning to are interned before any other. */
static int seed_table(void) {
  if (table_slots != 0)
    return 0;
  if (table_grow() != 0)
    return -1;
  table_insert(&evt_event_error_key);
  table_insert(&evt_event_new_listener_key);
  table_insert(&evt_event_remove_listener_key);
  return 0;
}

/* A canonical JS array index: "0", or no leading zero, below 2^32 - 1. */
static int64_t array_index(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 10 || (s[0] == '0' && n > 1))
    return -1;
  int64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v < 4294967295ll ? v : -1;
}

/* A record with its string stored right after it. */
static struct evt_event_s *event_new(const char *text, int symbol) {
  size_t len = strlen(text);
  struct evt_event_s *ev = malloc(sizeof(*ev) + len + 1);
  if (ev == NULL)
    return NULL;
  char *copy = (char *)(ev + 1);
  memcpy(copy, text, len + 1);
  ev->name = copy;
  ev->index = symbol ? -1 : array_index(copy);
  ev->symbol = symbol;
  ev->next_symbol = NULL;
  return ev;
}

evt_event_t evt_event(const char *name) {
  if (name == NULL)
    return NULL;
  evt_event_t found = NULL;
  pthread_mutex_lock(&table_lock);
  if (seed_table() == 0) {
    size_t i = find_slot(table, table_slots, name);
    found = table[i];
    if (found == NULL) {
      struct evt_event_s *ev = event_new(name, 0);
      if (ev != NULL && table_insert(ev) != 0) {
        free(ev);
        ev = NULL;
      }
      found = ev;
    }
  }
  pthread_mutex_unlock(&table_lock);
  return found;
}

evt_event_t evt_symbol(const char *description) {
  struct evt_event_s *ev = event_new(description != NULL ? description : "", 1);
  if (ev != NULL) {
    pthread_mutex_lock(&table_lock);
    ev->next_symbol = symbols;
    symbols = ev;
    pthread_mutex_unlock(&table_lock);
  }
  return ev;
}

const char *evt_event_name(evt_event_t event) {
  return event != NULL ? event->name : "";
}

int evt_event_is_symbol(evt_event_t event) {
  return event != NULL && event->symbol;
}
