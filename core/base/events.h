// What the machine reports as it changes: typed events (split, merge, watermark
// crossed, allocation failure ...). Panels animate and log from these; they
// never diff state.
#pragma once

#include "core/base/types.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

enum class EventType : uint8_t {
    Boot,             // a machine was booted
    Alloc,            // a block was handed out: pfn, order
    Free,             // a block was returned (before merging): pfn, order
    Split,            // expand(): the upper half pfn of order went to the list head
    Merge,            // __free_one_page(): pfn merged with its buddy aux into order+1
    ListAdd,          // a free block was put on a list: pfn, order; aux 1 = tail, 0 = head
    WatermarkCrossed, // a zone's free pages crossed a watermark: aux = Crossing
    KswapdWake,       // wakeup_kswapd() woke kswapd of node: order, zone = highest zone
                      // it was woken for; aux 1 = from its HZ/10 nap, 0 = from sleep
    AllocFail,        // page allocation failure: order, gfp
    Sysctl,           // a vm sysctl changed and what depends on it was recomputed
    Undo,             // `undo` took back command aux; its events were dropped from the log
    PcpRefill,        // rmqueue_bulk(): a CPU's list took blocks of order from the buddy
                      // lists (pfn the first); aux = cpu << 32 | pages
    PcpDrain,         // free_pcppages_bulk(): a CPU's lists gave pages back to the buddy
                      // lists; aux = cpu << 32 | pages
    KswapdSleep,      // kswapd of node went to sleep, its node balanced: order (of the check)
};
inline constexpr unsigned kNrEventTypes = static_cast<unsigned>(EventType::KswapdSleep) + 1;

// "Alloc", "WatermarkCrossed", ...: the names `events type=` and the panel use.
const char* event_type_name(EventType type);
std::optional<EventType> parse_event_type(std::string_view name);

// aux of a WatermarkCrossed event: which mark, and which way.
enum class Crossing : uint8_t { BelowMin, BelowLow, BelowHigh, AboveMin, AboveLow, AboveHigh };

// One event. Zones are named by kind as well as index, so an event reads the
// same after a boot of another configuration. A subsystem that needs more
// (a process, a virtual address, a slab cache) adds its field with its first
// event that sets it.
struct Event {
    uint64_t seq = 0;     // position in the log, from 1
    uint32_t command = 0; // the command (Lab::commands_run() numbering) that caused it
    EventType type = EventType::Boot;
    uint8_t node = 0;
    uint8_t zone = 0; // zone_idx in the machine that logged it
    ZoneKind zone_kind = ZoneKind::Normal;
    uint8_t order = 0;
    Pfn pfn;          // the block's first page; 0 for an event that names none
    uint64_t aux = 0; // merge: buddy pfn; list add: tail flag; crossing; alloc fail: gfp;
                      // boot: managed pages; undo: the undone command's number
};

// A bounded log: the newest events are kept, older ones are dropped. The
// ring's size is a power of two; recording is a store, no allocation.
class EventLog {
  public:
    static constexpr size_t kDefaultCapacity = 1 << 16;
    // capacity is rounded up to a power of two (at least 1).
    explicit EventLog(size_t capacity = kDefaultCapacity);

    // Writes the fields straight into the ring (building an Event on the
    // stack and copying it stalls on store forwarding).
    void record(EventType type, uint8_t node, uint8_t zone, ZoneKind zone_kind, uint8_t order,
                Pfn pfn, uint64_t aux) {
        if (!m_enabled) return;
        Event& slot = m_ring[m_count & m_mask];
        slot.seq = m_next_seq++;
        slot.command = m_command;
        slot.type = type;
        slot.node = node;
        slot.zone = zone;
        slot.zone_kind = zone_kind;
        slot.order = order;
        slot.pfn = pfn;
        slot.aux = aux;
        ++m_count;
    }
    // Records a whole event (its seq and command are the log's).
    void record(const Event& e);
    // Events in order, oldest first (at most capacity()).
    size_t size() const { return m_count < m_ring.size() ? m_count : m_ring.size(); }
    const Event& at(size_t i) const; // 0 = oldest kept
    uint64_t last_seq() const { return m_next_seq - 1; }
    size_t capacity() const { return m_ring.size(); }
    void set_command(uint32_t command) { m_command = command; }
    void set_enabled(bool enabled) { m_enabled = enabled; }
    bool enabled() const { return m_enabled; }
    void clear() { m_count = 0; }
    // Drops the events from seq `first` on (those of commands being undone);
    // events already pushed out of the ring stay dropped.
    void truncate(uint64_t first);
    // How many times truncate() took events back (an undo, a restore): a
    // reader that follows the log by seq starts again from the machine when
    // this changes, since the seqs after it are reused.
    uint64_t rewinds() const { return m_rewinds; }

  private:
    std::vector<Event> m_ring;
    size_t m_mask = 0;
    size_t m_count = 0;
    uint64_t m_next_seq = 1;
    uint32_t m_command = 0;
    uint64_t m_rewinds = 0;
    bool m_enabled = true;
};

// One line describing an event, in the kernel's words where it has them.
std::string describe(const Event& e);

} // namespace mm
