// What the files of core/mm/ share and nothing else needs, as the kernel's
// mm/internal.h: size constants, the zones of each configuration, their pfn
// limits and the default reserve ratios.
#pragma once

#include "core/mm/machine.h"

#include <vector>

namespace mm {

inline constexpr uint64_t MiB = uint64_t{1} << 20;
inline constexpr uint64_t GiB = uint64_t{1} << 30;
inline constexpr Pfn MAX_DMA_PFN = phys_to_pfn(PhysAddr{16 * MiB}); // 4096
inline constexpr Pfn MAX_DMA32_PFN = phys_to_pfn(PhysAddr{4 * GiB});
inline constexpr Pfn I386_MAX_LOW_PFN = phys_to_pfn(PhysAddr{896 * MiB}); // 229376
// The Firecracker microVM's 32-bit MMIO gap, 3 to 4 GiB: x86_64 RAM above
// 3 GiB starts at 4 GiB.
inline constexpr Pfn X86_MMIO_GAP_START = phys_to_pfn(PhysAddr{3 * GiB});
inline constexpr Pfn X86_MMIO_GAP_END = phys_to_pfn(PhysAddr{4 * GiB});
inline constexpr uint64_t MAX_ORDER_NR_PAGES = uint64_t{1} << MAX_PAGE_ORDER;

// The zones of each configuration, by zone_idx.
std::vector<ZoneKind> config_zones(Arch arch);

// sysctl_lowmem_reserve_ratio's default for a zone kind.
int default_lowmem_reserve_ratio(ZoneKind kind);

// The range of pfns [*lo, *hi) a zone kind may cover on an architecture
// (before ZONE_MOVABLE is carved out): arch_zone_lowest/highest_possible_pfn.
void zone_limits(Arch arch, ZoneKind kind, Pfn max_pfn, Pfn* lo, Pfn* hi);

} // namespace mm
