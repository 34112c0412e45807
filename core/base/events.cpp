// The bounded event log and the one-line description of each event.
#include "core/base/events.h"

#include "core/base/types.h"
#include "core/mm/gfp.h"

#include <cstdio>

namespace mm {

EventLog::EventLog(size_t capacity) {
    size_t size = 1;
    while (size < capacity)
        size <<= 1;
    m_ring.resize(size);
    m_mask = size - 1;
}

void EventLog::record(const Event& e) {
    if (!m_enabled) return;
    Event& slot = m_ring[m_count & m_mask];
    slot = e;
    slot.seq = m_next_seq++;
    slot.command = m_command;
    ++m_count;
}

void EventLog::truncate(uint64_t first) {
    if (first >= m_next_seq) return;
    const uint64_t drop = m_next_seq - first;
    m_count = drop >= m_count ? 0 : m_count - static_cast<size_t>(drop);
    m_next_seq = first;
    ++m_rewinds;
}

namespace {

constexpr const char* kTypeNames[kNrEventTypes] = {
    "Boot",       "Alloc",     "Free",   "Split", "Merge",     "ListAdd",  "WatermarkCrossed",
    "KswapdWake", "AllocFail", "Sysctl", "Undo",  "PcpRefill", "PcpDrain", "KswapdSleep"};

} // namespace

const char* event_type_name(EventType type) {
    const auto i = static_cast<unsigned>(type);
    return i < kNrEventTypes ? kTypeNames[i] : "?";
}

std::optional<EventType> parse_event_type(std::string_view name) {
    for (unsigned i = 0; i < kNrEventTypes; ++i)
        if (name == kTypeNames[i]) return static_cast<EventType>(i);
    return std::nullopt;
}

const Event& EventLog::at(size_t i) const {
    if (m_count <= m_ring.size()) return m_ring[i];
    return m_ring[(m_count + i) & m_mask];
}

static const char* crossing_text(uint64_t aux) {
    switch (static_cast<Crossing>(aux)) {
    case Crossing::BelowMin:
        return "fell below its min watermark";
    case Crossing::BelowLow:
        return "fell below its low watermark";
    case Crossing::BelowHigh:
        return "fell below its high watermark";
    case Crossing::AboveMin:
        return "rose above its min watermark";
    case Crossing::AboveLow:
        return "rose above its low watermark";
    case Crossing::AboveHigh:
        return "rose above its high watermark";
    }
    return "crossed a watermark";
}

std::string describe(const Event& e) {
    const char* zone_name = zone_kind_name(e.zone_kind);
    char buf[256];
    switch (e.type) {
    case EventType::Boot:
        std::snprintf(buf, sizeof buf, "boot: %llu pages managed",
                      static_cast<unsigned long long>(e.aux));
        break;
    case EventType::Alloc:
        std::snprintf(buf, sizeof buf, "alloc: pfn 0x%llx order %u from Node %u, zone %s",
                      static_cast<unsigned long long>(e.pfn.value()), e.order, e.node, zone_name);
        break;
    case EventType::Free:
        std::snprintf(buf, sizeof buf, "free: pfn 0x%llx order %u to Node %u, zone %s",
                      static_cast<unsigned long long>(e.pfn.value()), e.order, e.node, zone_name);
        break;
    case EventType::Split:
        std::snprintf(buf, sizeof buf,
                      "split: upper half pfn 0x%llx (order %u) to the head of free_area[%u]",
                      static_cast<unsigned long long>(e.pfn.value()), e.order, e.order);
        break;
    case EventType::Merge:
        std::snprintf(buf, sizeof buf, "merge: pfn 0x%llx with its buddy 0x%llx into order %u",
                      static_cast<unsigned long long>(e.pfn.value()),
                      static_cast<unsigned long long>(e.aux), e.order + 1);
        break;
    case EventType::ListAdd:
        std::snprintf(buf, sizeof buf,
                      "free block pfn 0x%llx (order %u) at the %s of free_area[%u]",
                      static_cast<unsigned long long>(e.pfn.value()), e.order,
                      e.aux ? "tail" : "head", e.order);
        break;
    case EventType::WatermarkCrossed:
        std::snprintf(buf, sizeof buf, "Node %u, zone %s %s", e.node, zone_name,
                      crossing_text(e.aux));
        break;
    case EventType::KswapdWake:
        std::snprintf(buf, sizeof buf, "kswapd%u woken%s: order %u, zones up to %s", e.node,
                      e.aux ? " from its nap" : "", e.order, zone_name);
        break;
    case EventType::AllocFail: {
        std::string mode = format_gfp(static_cast<gfp_t>(e.aux));
        // warn_alloc(): "%s: %pV, mode:%#x(%pGg), nodemask=%*pbl"; %#x of 0 is "0x0".
        std::snprintf(buf, sizeof buf,
                      "mmlab: page allocation failure: order:%u, mode:0x%llx(%s), nodemask=(null)",
                      e.order, static_cast<unsigned long long>(e.aux), mode.c_str());
        break;
    }
    case EventType::Sysctl:
        std::snprintf(buf, sizeof buf, "sysctl: watermarks and reserves recomputed");
        break;
    case EventType::KswapdSleep:
        std::snprintf(buf, sizeof buf, "kswapd%u sleeps: node balanced (order %u, zones up to %s)",
                      e.node, e.order, zone_name);
        break;
    case EventType::Undo:
        std::snprintf(buf, sizeof buf, "undo: took back command %llu and its events",
                      static_cast<unsigned long long>(e.aux));
        break;
    case EventType::PcpRefill:
        std::snprintf(buf, sizeof buf,
                      "rmqueue_bulk: cpu %llu's order-%u list took %llu page%s from Node %u, "
                      "zone %s's buddy lists (first pfn 0x%llx)",
                      static_cast<unsigned long long>(e.aux >> 32), e.order,
                      static_cast<unsigned long long>(e.aux & 0xffffffffu),
                      (e.aux & 0xffffffffu) == 1 ? "" : "s", e.node, zone_name,
                      static_cast<unsigned long long>(e.pfn.value()));
        break;
    case EventType::PcpDrain:
        std::snprintf(buf, sizeof buf,
                      "free_pcppages_bulk: cpu %llu's lists gave %llu page%s back to Node %u, "
                      "zone %s's buddy lists",
                      static_cast<unsigned long long>(e.aux >> 32),
                      static_cast<unsigned long long>(e.aux & 0xffffffffu),
                      (e.aux & 0xffffffffu) == 1 ? "" : "s", e.node, zone_name);
        break;
    }
    return buf;
}

} // namespace mm
