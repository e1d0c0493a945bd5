/*
 * tasks.h — private interface of the tasks layer (immediates, nextTick and
 * microtask queues, the checkpoint).
 */
#ifndef EVT_TASKS_TASKS_H
#define EVT_TASKS_TASKS_H

#include "core/core.h"
#include "eventide/tasks.h"

struct evt__task_s {
  evt_task_cb cb;
  void *arg;
};

void evt__immediates_loop_init(evt_loop_t *loop);
void evt__immediates_loop_close(evt_loop_t *loop);

#endif
