// GFP flags as Linux 6.18 defines them (include/linux/gfp_types.h), the
// zone a mask may use (gfp_zone() and GFP_ZONE_TABLE, include/linux/gfp.h),
// the slow path's allocation flags (gfp_to_alloc_flags(), mm/page_alloc.c)
// and the %pGg names of warn_alloc() (include/trace/events/mmflags.h, printed
// as lib/vsprintf.c prints them). docs/fidelity.md "GFP flags and the
// allocation passes" says what the lab leaves out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mm {

using gfp_t = uint32_t;

inline constexpr gfp_t __GFP_DMA = 0x1;
inline constexpr gfp_t __GFP_HIGHMEM = 0x2;
inline constexpr gfp_t __GFP_DMA32 = 0x4;
inline constexpr gfp_t __GFP_MOVABLE = 0x8;
inline constexpr gfp_t __GFP_RECLAIMABLE = 0x10;
inline constexpr gfp_t __GFP_HIGH = 0x20;
inline constexpr gfp_t __GFP_IO = 0x40;
inline constexpr gfp_t __GFP_FS = 0x80;
inline constexpr gfp_t __GFP_ZERO = 0x100;
inline constexpr gfp_t __GFP_DIRECT_RECLAIM = 0x400;
inline constexpr gfp_t __GFP_KSWAPD_RECLAIM = 0x800;
inline constexpr gfp_t __GFP_WRITE = 0x1000;
inline constexpr gfp_t __GFP_NOWARN = 0x2000;
inline constexpr gfp_t __GFP_RETRY_MAYFAIL = 0x4000;
inline constexpr gfp_t __GFP_NOFAIL = 0x8000;
inline constexpr gfp_t __GFP_NORETRY = 0x10000;
inline constexpr gfp_t __GFP_MEMALLOC = 0x20000;
inline constexpr gfp_t __GFP_COMP = 0x40000;
inline constexpr gfp_t __GFP_NOMEMALLOC = 0x80000;
inline constexpr gfp_t __GFP_HARDWALL = 0x100000;
inline constexpr gfp_t __GFP_THISNODE = 0x200000;
inline constexpr gfp_t __GFP_ACCOUNT = 0x400000;
inline constexpr gfp_t __GFP_ZEROTAGS = 0x800000;
inline constexpr gfp_t __GFP_BITS_MASK = 0xffffff; // __GFP_BITS_SHIFT 24 on x86

inline constexpr gfp_t __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;
inline constexpr gfp_t GFP_ATOMIC = __GFP_HIGH | __GFP_KSWAPD_RECLAIM;
inline constexpr gfp_t GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
inline constexpr gfp_t GFP_KERNEL_ACCOUNT = GFP_KERNEL | __GFP_ACCOUNT;
inline constexpr gfp_t GFP_NOWAIT = __GFP_KSWAPD_RECLAIM | __GFP_NOWARN;
inline constexpr gfp_t GFP_NOIO = __GFP_RECLAIM;
inline constexpr gfp_t GFP_NOFS = __GFP_RECLAIM | __GFP_IO;
inline constexpr gfp_t GFP_USER = __GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL;
inline constexpr gfp_t GFP_DMA = __GFP_DMA;
inline constexpr gfp_t GFP_DMA32 = __GFP_DMA32;
inline constexpr gfp_t GFP_HIGHUSER = GFP_USER | __GFP_HIGHMEM;
inline constexpr gfp_t GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | __GFP_MOVABLE;
inline constexpr gfp_t GFP_TRANSHUGE_LIGHT =
    (GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM;
inline constexpr gfp_t GFP_TRANSHUGE = GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM;

inline constexpr gfp_t GFP_ZONEMASK = __GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE;

// ALLOC_* flags (mm/internal.h, v6.18).
inline constexpr unsigned ALLOC_WMARK_MIN = 0;
inline constexpr unsigned ALLOC_WMARK_LOW = 1;
inline constexpr unsigned ALLOC_WMARK_HIGH = 2;
inline constexpr unsigned ALLOC_NO_WATERMARKS = 0x04;
inline constexpr unsigned ALLOC_WMARK_MASK = ALLOC_NO_WATERMARKS - 1;
inline constexpr unsigned ALLOC_OOM = 0x08;
inline constexpr unsigned ALLOC_NON_BLOCK = 0x10;
inline constexpr unsigned ALLOC_MIN_RESERVE = 0x20;
inline constexpr unsigned ALLOC_CPUSET = 0x40;
inline constexpr unsigned ALLOC_CMA = 0x80;
inline constexpr unsigned ALLOC_NOFRAGMENT = 0x100;
inline constexpr unsigned ALLOC_HIGHATOMIC = 0x200;
inline constexpr unsigned ALLOC_KSWAPD = 0x800;
inline constexpr unsigned ALLOC_RESERVES =
    ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM;

// The zone configuration a gfp_zone() table is built for.
enum class ZoneConfig : uint8_t {
    X86_64, // DMA=0, DMA32=1, Normal=2, Movable=3, Device=4
    I386,   // DMA=0, Normal=1, HighMem=2, Movable=3 (HIGHMEM4G)
    Toy,    // Normal=0 only
};

// gfp_zone(): the highest zone index the mask may use. Invalid zone-modifier
// combinations give 0 (ZONE_DMA), as the kernel does without CONFIG_DEBUG_VM.
unsigned gfp_zone(gfp_t flags, ZoneConfig config);

// gfp_to_alloc_flags(): the slow path's ALLOC_* flags for a mask and order
// (no RT task, CMA off, defrag_mode 0).
unsigned gfp_to_alloc_flags(gfp_t gfp, unsigned order);

// Parses "GFP_KERNEL|__GFP_NOWARN" (names joined by '|', or a 0x number).
// Returns nullopt for an unknown name; `bad` then holds the offending word.
std::optional<gfp_t> parse_gfp(std::string_view text, std::string* bad = nullptr);

// The %pGg text of a mask: composite names first in the kernel's table order,
// then single bits, then leftover bits in hex ("GFP_KERNEL|__GFP_NOWARN").
std::string format_gfp(gfp_t flags);

// Every name parse_gfp() accepts, composites first (for completion and help).
const char* const* gfp_names(size_t* count);

} // namespace mm
