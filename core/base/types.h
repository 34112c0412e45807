// Basic units of the simulated machine: page frame numbers, addresses and the
// kernel's constants for 4 KiB pages (include/linux/mmzone.h, asm/page_types.h).
#pragma once

#include <climits>
#include <compare> // the defaulted operator<=> of Pfn and PhysAddr
#include <cstdint>

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

// A page frame number. A strong type, so that a pfn is never mixed up with a
// count of pages or an index into a node's page array.
struct Pfn {
    uint64_t value = 0;
    constexpr Pfn() = default;
    constexpr explicit Pfn(uint64_t v) : value(v) {}
    friend constexpr bool operator==(Pfn, Pfn) = default;
    friend constexpr auto operator<=>(Pfn, Pfn) = default;
};

struct PhysAddr {
    uint64_t value = 0;
    constexpr PhysAddr() = default;
    constexpr explicit PhysAddr(uint64_t v) : value(v) {}
    friend constexpr bool operator==(PhysAddr, PhysAddr) = default;
};

constexpr PhysAddr pfn_to_phys(Pfn pfn) {
    return PhysAddr{pfn.value << PAGE_SHIFT};
}
constexpr Pfn phys_to_pfn(PhysAddr addr) {
    return Pfn{addr.value >> PAGE_SHIFT};
}

// The page allocator's "no pfn": ends free lists.
inline constexpr uint32_t NIL_PFN = 0xffffffffu;

} // namespace mm
