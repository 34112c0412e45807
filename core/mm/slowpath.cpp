// __alloc_pages_slowpath() of mm/page_alloc.c as a sequence of named steps,
// each recorded in AllocResult::slowpath with its result and the rule that
// decided it. The steps the lab does not model yet (compaction, reclaim, the
// OOM killer) are recorded as such, so a failure says where a real kernel
// would have gone on, and later issues fill them in.
//
// One pass, no loops: nothing in the lab changes while a command runs (kswapd
// runs on the clock, reclaim is not modelled), so each retry the kernel would
// make sees what the previous attempt saw.
#include "core/mm/internal.h"
#include "core/mm/machine.h"

namespace mm {

const char* slow_stage_name(SlowStage stage) {
    switch (stage) {
    case SlowStage::WakeKswapd:
        return "wake_kswapd";
    case SlowStage::RetryMin:
        return "retry_min";
    case SlowStage::EarlyCompaction:
        return "early_compaction";
    case SlowStage::NoWatermarks:
        return "no_watermarks";
    case SlowStage::DirectReclaim:
        return "direct_reclaim";
    case SlowStage::DirectCompaction:
        return "direct_compaction";
    case SlowStage::ReclaimRetry:
        return "reclaim_retry";
    case SlowStage::Oom:
        return "oom";
    case SlowStage::NoFailFallback:
        return "nofail_fallback";
    }
    return "?";
}

const char* slow_stage_function(SlowStage stage) {
    switch (stage) {
    case SlowStage::WakeKswapd:
        return "wake_all_kswapds()";
    case SlowStage::RetryMin:
        return "get_page_from_freelist() with gfp_to_alloc_flags()";
    case SlowStage::EarlyCompaction:
        return "__alloc_pages_direct_compact() before reclaim";
    case SlowStage::NoWatermarks:
        return "get_page_from_freelist() with __gfp_pfmemalloc_flags()";
    case SlowStage::DirectReclaim:
        return "__alloc_pages_direct_reclaim()";
    case SlowStage::DirectCompaction:
        return "__alloc_pages_direct_compact()";
    case SlowStage::ReclaimRetry:
        return "should_reclaim_retry()";
    case SlowStage::Oom:
        return "__alloc_pages_may_oom()";
    case SlowStage::NoFailFallback:
        return "__alloc_pages_cpuset_fallback(ALLOC_MIN_RESERVE)";
    }
    return "?";
}

const char* stage_result_name(StageResult result) {
    switch (result) {
    case StageResult::Ran:
        return "ran";
    case StageResult::Succeeded:
        return "succeeded";
    case StageResult::Failed:
        return "failed";
    case StageResult::Skipped:
        return "skipped";
    case StageResult::NotModelled:
        return "not modelled yet";
    }
    return "?";
}

namespace {

SlowPathStep step(SlowStage stage, StageResult result, const char* why, unsigned alloc_flags = 0) {
    return SlowPathStep{stage, result, why, alloc_flags, 0, 0, 0};
}

// ZONE_NORMAL's index in the configuration: the OOM killer does not run for
// requests that cannot use it (lowmem-only requests).
unsigned normal_zoneidx(Arch arch) {
    const std::vector<ZoneKind> zones = config_zones(arch);
    for (unsigned i = 0; i < zones.size(); ++i)
        if (zones[i] == ZoneKind::Normal) return i;
    return 0;
}

} // namespace

// The steps, in the kernel's order (restart: and retry: labels, the
// cpuset and zonelist checks left out: the lab has neither cpusets nor
// memory hotplug yet):
//  1. alloc_flags = gfp_to_alloc_flags(); with ALLOC_KSWAPD, wake_all_kswapds().
//  2. get_page_from_freelist() at the min watermark with those flags.
//  3. Costly (order > 3) or unmovable high-order requests that may reclaim
//     and compact (__GFP_IO) try direct compaction first; a costly
//     __GFP_NORETRY one gives up if compaction was skipped.
//  4. retry: wake kswapd again; with __GFP_MEMALLOC (and no
//     __GFP_NOMEMALLOC) try again ignoring watermarks; otherwise try again
//     with the same flags (the lab's state has not changed: same result).
//  5. Without __GFP_DIRECT_RECLAIM: give up. Otherwise direct reclaim, then
//     direct compaction.
//  6. __GFP_NORETRY gives up; so does a costly request without
//     __GFP_RETRY_MAYFAIL; should_reclaim_retry() loops while some zone would
//     pass min with its reclaimable pages freed (none here).
//  7. The OOM killer, unless the request is costly, __GFP_RETRY_MAYFAIL,
//     __GFP_THISNODE or lowmem-only; without __GFP_FS it reports progress
//     without killing (the kernel retries for ever).
//  8. __GFP_NOFAIL with direct reclaim: one attempt with ALLOC_MIN_RESERVE,
//     then the kernel retries for ever.
// result->ok tells the outcome; the caller warns and records.
void Machine::alloc_pages_slowpath(const AllocRequest& req, const AllocContext& ac,
                                   AllocResult* result) {
    const gfp_t gfp = req.gfp;
    const unsigned order = req.order;
    const bool can_direct_reclaim = gfp & __GFP_DIRECT_RECLAIM;
    const bool can_compact = gfp & __GFP_IO; // gfp_compaction_allowed(), CONFIG_COMPACTION
    const bool nofail = gfp & __GFP_NOFAIL;
    const bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
    const bool pfmemalloc = (gfp & __GFP_MEMALLOC) && !(gfp & __GFP_NOMEMALLOC);
    const bool movable = (gfp & (__GFP_MOVABLE | __GFP_RECLAIMABLE)) == __GFP_MOVABLE;
    SlowPathSteps& steps = result->slowpath;

    unsigned alloc_flags = gfp_to_alloc_flags(gfp, order);
    if (alloc_flags & ALLOC_KSWAPD) {
        SlowPathStep wake =
            step(SlowStage::WakeKswapd, StageResult::Ran,
                 "__GFP_KSWAPD_RECLAIM: wakeup_kswapd() for each node", alloc_flags);
        wake_all_kswapds(ac, order, gfp, &wake);
        steps.push_back(wake);
    } else {
        steps.push_back(step(SlowStage::WakeKswapd, StageResult::Skipped,
                             "no __GFP_KSWAPD_RECLAIM in the mask", alloc_flags));
    }

    if (get_page_from_freelist(ac, order, 2, alloc_flags, result)) {
        steps.push_back(step(SlowStage::RetryMin, StageResult::Succeeded,
                             "a zone passed its min watermark with the request's allowances",
                             alloc_flags));
        return;
    }
    steps.push_back(step(SlowStage::RetryMin, StageResult::Failed,
                         "no zone passed its min watermark with the request's allowances",
                         alloc_flags));

    if (can_direct_reclaim && can_compact && (costly_order || (order > 0 && !movable)) &&
        !pfmemalloc) {
        // Not modelled: the lab takes its result as COMPACT_SKIPPED.
        steps.push_back(step(SlowStage::EarlyCompaction, StageResult::NotModelled,
                             costly_order ? "costly order (> 3): compaction before reclaim"
                                          : "unmovable high-order request: compaction first",
                             alloc_flags));
        if (costly_order && (gfp & __GFP_NORETRY)) {
            steps.push_back(step(SlowStage::ReclaimRetry, StageResult::Skipped,
                                 "costly __GFP_NORETRY request: gives up when compaction was "
                                 "skipped (COMPACT_SKIPPED)",
                                 alloc_flags));
            return;
        }
    }

    // retry: the wake again keeps kswapd from sleeping while the task loops.
    if (alloc_flags & ALLOC_KSWAPD) wake_all_kswapds(ac, order, gfp, nullptr);
    if (pfmemalloc) {
        alloc_flags = ALLOC_NO_WATERMARKS | (alloc_flags & ALLOC_KSWAPD);
        const bool ok = get_page_from_freelist(ac, order, 3, alloc_flags, result);
        steps.push_back(step(SlowStage::NoWatermarks,
                             ok ? StageResult::Succeeded : StageResult::Failed,
                             "__GFP_MEMALLOC: every zone tried below its watermarks", alloc_flags));
        if (ok) return;
    } else {
        steps.push_back(step(SlowStage::NoWatermarks, StageResult::Skipped,
                             (gfp & __GFP_NOMEMALLOC)
                                 ? "__GFP_NOMEMALLOC: no access to the reserves"
                                 : "no __GFP_MEMALLOC (and no PF_MEMALLOC task or OOM victim): "
                                   "the retry with the same flags finds the same zones",
                             alloc_flags));
    }

    if (!can_direct_reclaim) {
        steps.push_back(step(SlowStage::DirectReclaim, StageResult::Skipped,
                             "no __GFP_DIRECT_RECLAIM: the caller cannot sleep, so it gives up"));
    } else {
        steps.push_back(step(SlowStage::DirectReclaim, StageResult::NotModelled,
                             "reclaim is not modelled yet: nothing reclaimed", alloc_flags));
        steps.push_back(step(SlowStage::DirectCompaction, StageResult::NotModelled,
                             "compaction is not modelled yet: nothing compacted", alloc_flags));
        const char* retry = nullptr;
        if (gfp & __GFP_NORETRY)
            retry = "__GFP_NORETRY: no retry";
        else if (costly_order && !(can_compact && (gfp & __GFP_RETRY_MAYFAIL)))
            retry = "costly order (> 3) without __GFP_RETRY_MAYFAIL: no retry";
        else
            retry = "no zone would pass its min watermark with its reclaimable pages "
                    "freed (none in this lab): no retry";
        steps.push_back(step(SlowStage::ReclaimRetry, StageResult::Skipped, retry, alloc_flags));

        const bool gives_up = (gfp & __GFP_NORETRY) ||
                              (costly_order && !(can_compact && (gfp & __GFP_RETRY_MAYFAIL)));
        if (!gives_up) {
            const char* oom = nullptr;
            StageResult oom_result = StageResult::Skipped;
            if (costly_order)
                oom = "order > 3: the OOM killer does not run for costly orders";
            else if (gfp & __GFP_RETRY_MAYFAIL)
                oom = "__GFP_RETRY_MAYFAIL: the request may fail, no OOM kill";
            else if (gfp & __GFP_THISNODE)
                oom = "__GFP_THISNODE: no OOM kill for one node";
            else if (ac.highest_zoneidx < normal_zoneidx(m_params.arch))
                oom = "lowmem request (below ZONE_NORMAL): killing would not help";
            else if (!(gfp & __GFP_FS)) {
                oom_result = StageResult::NotModelled;
                oom = "no __GFP_FS: out_of_memory() reports progress without killing, and the "
                      "kernel retries for ever; the lab fails the request";
            } else {
                oom_result = StageResult::NotModelled;
                oom = "the OOM killer is not modelled yet: the kernel would kill a task and "
                      "retry; the lab fails the request";
            }
            steps.push_back(step(SlowStage::Oom, oom_result, oom, alloc_flags));
        }
    }

    // nopage:
    if (nofail && can_direct_reclaim) {
        const unsigned fallback = ALLOC_MIN_RESERVE | ALLOC_CPUSET;
        const bool ok = get_page_from_freelist(ac, order, 4, fallback, result);
        steps.push_back(step(SlowStage::NoFailFallback,
                             ok ? StageResult::Succeeded : StageResult::Failed,
                             ok ? "__GFP_NOFAIL: a zone passed half its min watermark"
                                : "__GFP_NOFAIL: no zone passed half its min watermark; the "
                                  "kernel retries for ever, the lab fails the request",
                             fallback));
    }
}

} // namespace mm
