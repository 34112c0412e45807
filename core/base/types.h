// Basic units of the simulated machine: page frame numbers, physical
// addresses and the kernel's constants for 4 KiB pages
// (include/linux/mmzone.h, asm/page_types.h, include/linux/pfn.h).
#pragma once

#include <climits>
#include <compare> // the defaulted operator<=> of Pfn and PhysAddr
#include <cstdint>
#include <iosfwd>

// musl's <limits.h> (Emscripten) defines PAGE_SIZE as a macro (64 KiB, the
// wasm page). Included above, its guard keeps it from coming back: the name is
// the kernel's constant here.
#undef PAGE_SIZE

namespace mm {

inline constexpr unsigned PAGE_SHIFT = 12;
inline constexpr uint64_t PAGE_SIZE = uint64_t{1} << PAGE_SHIFT;
inline constexpr unsigned MAX_PAGE_ORDER = 10;                 // largest block: 4 MiB
inline constexpr unsigned NR_PAGE_ORDERS = MAX_PAGE_ORDER + 1; // orders 0..10
inline constexpr unsigned PAGE_ALLOC_COSTLY_ORDER = 3;
inline constexpr unsigned PAGEBLOCK_ORDER = 9; // x86: 2 MiB pageblocks
inline constexpr uint64_t PAGEBLOCK_NR_PAGES = uint64_t{1} << PAGEBLOCK_ORDER;
inline constexpr unsigned MAX_NUMNODES = 64; // x86_64 NODES_SHIFT 6

// enum zone_type, as the configurations of this lab use it (zone_idx is a
// zone's position in its configuration, not this value).
enum class ZoneKind : uint8_t { DMA, DMA32, Normal, HighMem, Movable, Device };
const char* zone_kind_name(ZoneKind kind); // "DMA", "DMA32", "Normal", ...

// A page frame number: a physical address >> PAGE_SHIFT. A strong type, so
// that a pfn is never mixed up with a count of pages or an index into a
// node's page array. It does what the kernel does with an unsigned long pfn:
// a pfn plus or minus a count of pages is a pfn, the distance between two
// pfns is a count, and a range of pfns is walked with ++.
class Pfn {
  public:
    constexpr Pfn() = default;
    constexpr explicit Pfn(uint64_t value) : m_value(value) {}
    constexpr uint64_t value() const { return m_value; }

    friend constexpr bool operator==(Pfn, Pfn) = default;
    friend constexpr auto operator<=>(Pfn, Pfn) = default;

    friend constexpr Pfn operator+(Pfn pfn, uint64_t nr_pages) {
        return Pfn{pfn.m_value + nr_pages};
    }
    friend constexpr Pfn operator-(Pfn pfn, uint64_t nr_pages) {
        return Pfn{pfn.m_value - nr_pages};
    }
    // The pages from `start` up to `end` (end >= start): a count, not a pfn.
    friend constexpr uint64_t operator-(Pfn end, Pfn start) { return end.m_value - start.m_value; }
    constexpr Pfn& operator+=(uint64_t nr_pages) {
        m_value += nr_pages;
        return *this;
    }
    constexpr Pfn& operator++() {
        ++m_value;
        return *this;
    }

  private:
    uint64_t m_value = 0;
};

// A physical address (phys_addr_t). Bytes added to it give another address;
// two of them differ by a size in bytes.
class PhysAddr {
  public:
    constexpr PhysAddr() = default;
    constexpr explicit PhysAddr(uint64_t value) : m_value(value) {}
    constexpr uint64_t value() const { return m_value; }

    friend constexpr bool operator==(PhysAddr, PhysAddr) = default;
    friend constexpr auto operator<=>(PhysAddr, PhysAddr) = default;

    friend constexpr PhysAddr operator+(PhysAddr addr, uint64_t bytes) {
        return PhysAddr{addr.m_value + bytes};
    }
    friend constexpr uint64_t operator-(PhysAddr end, PhysAddr start) {
        return end.m_value - start.m_value;
    }

  private:
    uint64_t m_value = 0;
};

// PFN_PHYS(): the address of the frame's first byte.
constexpr PhysAddr pfn_to_phys(Pfn pfn) {
    return PhysAddr{pfn.value() << PAGE_SHIFT};
}
// PHYS_PFN() (PFN_DOWN()): the frame that holds the address.
constexpr Pfn phys_to_pfn(PhysAddr addr) {
    return Pfn{addr.value() >> PAGE_SHIFT};
}

// ALIGN_DOWN(), ALIGN() and IS_ALIGNED() of include/linux/align.h for a pfn
// and a block of nr_pages frames, which must be a power of two: the first pfn
// of the block that holds pfn, the first block boundary at or above it, and
// whether pfn is one.
constexpr Pfn align_down(Pfn pfn, uint64_t nr_pages) {
    return Pfn{pfn.value() & ~(nr_pages - 1)};
}
constexpr Pfn align_up(Pfn pfn, uint64_t nr_pages) {
    return align_down(pfn + (nr_pages - 1), nr_pages);
}
constexpr bool is_aligned(Pfn pfn, uint64_t nr_pages) {
    return (pfn.value() & (nr_pages - 1)) == 0;
}

// A pfn or an address on a stream, as 0x38000 (GoogleTest's messages use it).
std::ostream& operator<<(std::ostream& os, Pfn pfn);
std::ostream& operator<<(std::ostream& os, PhysAddr addr);

// nlohmann::json finds these by argument-dependent lookup: a pfn or an
// address in a command's data (CommandResult::data) is a plain number.
template <typename Json> void to_json(Json& json, Pfn pfn) {
    json = pfn.value();
}
template <typename Json> void to_json(Json& json, PhysAddr addr) {
    json = addr.value();
}

// The page allocator's "no pfn": ends free lists.
inline constexpr uint32_t NIL_PFN = 0xffffffffu;

} // namespace mm
