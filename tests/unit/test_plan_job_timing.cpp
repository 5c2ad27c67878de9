// The why's words for a batch job's time: a job that waited for devices another job held
// says when it finished and how that time splits, not "done in" its whole makespan.
#include <doctest/doctest.h>

#include <string>

#include "sim/plan/planner.hpp"

using namespace hw;

TEST_CASE("why: a batch job that queued says when it finished, how long it computed and how long it queued") {
  // llm-finetune on 1 x 8 MI300X: the 70b job uploads 32 s, waits for the 8 GPUs the 7b job
  // holds until 4.33 h, then computes 10.06 h: it finished at 14.4 h, it was not done in 14.4 h.
  BatchJobResult j;
  j.id = "llama2-70b-lora-finetune";
  j.kind = "training";
  j.devices = 8;
  j.upload_s = 32.01505;
  j.compute_s = 36208.954;
  j.makespan_s = 51788.452;
  CHECK(job_timing_text(j) ==
        "training job llama2-70b-lora-finetune finished at 14.4 h on 8 devices (10.1 h computing, after a 32 s upload and 4.32 h queued)");
  j.upload_s = 0;
  j.makespan_s = 36208.954 + 15580;
  CHECK(job_timing_text(j) == "training job llama2-70b-lora-finetune finished at 14.4 h on 8 devices (10.1 h computing, after 4.33 h queued)");
}

TEST_CASE("why: a batch job that ran from the start is done in its makespan, upload included") {
  // The 7b job: 80 s upload + 4.31 h compute = its 4.33 h makespan, no queue.
  BatchJobResult j;
  j.id = "llama2-7b-full-finetune";
  j.kind = "training";
  j.devices = 8;
  j.upload_s = 80.01505;
  j.compute_s = 15499.483;
  j.makespan_s = 15579.498;
  CHECK(job_timing_text(j) == "training job llama2-7b-full-finetune done in 4.33 h on 8 devices");
  j.devices = 1;
  j.makespan_s += 0.5;  // rounding, not a queue
  CHECK(job_timing_text(j) == "training job llama2-7b-full-finetune done in 4.33 h on 1 device");
}
