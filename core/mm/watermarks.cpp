// min_free_kbytes, the zones' watermarks and lowmem_reserve
// (mm/page_alloc.c), and the vm sysctls that change them, with the kernel's
// range checks.
#include "core/mm/machine.h"

#include <algorithm>
#include <cmath>

namespace mm {

// ---- min_free_kbytes, watermarks, lowmem_reserve ------------------------------

// nr_free_buffer_pages(): managed minus the high watermark, summed over the
// zones GFP_USER may use (not HighMem, not Movable) on every node.
uint64_t Machine::nr_free_buffer_pages() const {
    unsigned high = gfp_zone(GFP_USER, zone_config());
    uint64_t sum = 0;
    for (const Node& node : m_nodes)
        for (const Zone& zone : node.zones) {
            if (zone.idx > high) continue;
            uint64_t wm = zone.wmark(WMARK_HIGH);
            if (zone.managed_pages > wm) sum += zone.managed_pages - wm;
        }
    return sum;
}

static uint64_t int_sqrt(uint64_t x) {
    uint64_t r = static_cast<uint64_t>(std::sqrt(static_cast<double>(x)));
    while (r * r > x)
        --r;
    while ((r + 1) * (r + 1) <= x)
        ++r;
    return r;
}

// calculate_min_free_kbytes(): int_sqrt(lowmem_kbytes * 16), clamped to
// [128, 262144], unless the user has set a larger value. The toy machine
// starts at 0 so that every frame can be allocated (docs/console.md "boot").
void Machine::calculate_min_free_kbytes() {
    if (m_params.arch == Arch::toy) {
        m_sysctl.min_free_kbytes = 0;
        return;
    }
    uint64_t lowmem_kbytes = nr_free_buffer_pages() * (PAGE_SIZE >> 10);
    int64_t new_min = static_cast<int64_t>(int_sqrt(lowmem_kbytes * 16));
    if (new_min > m_sysctl.user_min_free_kbytes)
        m_sysctl.min_free_kbytes = static_cast<int>(std::clamp<int64_t>(new_min, 128, 262144));
}

static uint64_t mult_frac(uint64_t x, uint64_t n, uint64_t d) {
    return (x / d) * n + ((x % d) * n) / d;
}

// __setup_per_zone_wmarks(): min is min_free_kbytes shared out by managed
// pages over the lowmem zones; HighMem and Movable get managed/1024 clamped to
// [SWAP_CLUSTER_MAX, 128]; each gap is max(min/4, managed * wsf / 10000).
void Machine::setup_per_zone_wmarks() {
    const uint64_t pages_min = static_cast<uint64_t>(m_sysctl.min_free_kbytes) >> (PAGE_SHIFT - 10);
    uint64_t lowmem_pages = 0;
    for (const Node& node : m_nodes)
        for (const Zone& zone : node.zones)
            if (zone.kind != ZoneKind::HighMem && zone.kind != ZoneKind::Movable)
                lowmem_pages += zone.managed_pages;
    for (Node& node : m_nodes) {
        for (Zone& zone : node.zones) {
            uint64_t tmp = lowmem_pages ? pages_min * zone.managed_pages / lowmem_pages : 0;
            if (zone.kind == ZoneKind::HighMem || zone.kind == ZoneKind::Movable) {
                zone.watermark[WMARK_MIN] =
                    std::clamp<uint64_t>(zone.managed_pages / 1024, 32, 128);
            } else {
                zone.watermark[WMARK_MIN] = tmp;
            }
            tmp = std::max<uint64_t>(
                tmp >> 2, mult_frac(zone.managed_pages, m_sysctl.watermark_scale_factor, 10000));
            zone.watermark_boost = 0;
            zone.watermark[WMARK_LOW] = zone.watermark[WMARK_MIN] + tmp;
            zone.watermark[WMARK_HIGH] = zone.watermark[WMARK_LOW] + tmp;
            zone.watermark[WMARK_PROMO] = zone.watermark[WMARK_HIGH] + tmp;
        }
    }
    // setup_per_zone_wmarks(): the pcp high limits follow the low watermark.
    for (Node& node : m_nodes)
        for (Zone& zone : node.zones)
            zone_pcp_update(zone);
}

// setup_per_zone_lowmem_reserve(): zone i keeps back, from a request that
// could have used zone j > i, the managed pages of zones i+1..j divided by
// lowmem_reserve_ratio[i]; 0 when the ratio is 0 or zone i has no pages.
void Machine::setup_per_zone_lowmem_reserve() {
    for (Node& node : m_nodes) {
        const size_t nr = node.zones.size();
        for (size_t i = 0; i < nr; ++i) {
            Zone& zone = node.zones[i];
            std::fill(zone.lowmem_reserve.begin(), zone.lowmem_reserve.end(), 0);
            if (i + 1 >= nr) continue;
            int ratio = m_sysctl.lowmem_reserve_ratio[i];
            bool clear = !ratio || !zone.managed_pages;
            uint64_t managed = 0;
            for (size_t j = i + 1; j < nr; ++j) {
                managed += node.zones[j].managed_pages;
                zone.lowmem_reserve[j] = clear ? 0 : static_cast<int64_t>(managed / ratio);
            }
        }
    }
}

// ---- Sysctl writers -------------------------------------------------------------

// min_free_kbytes_sysctl_handler(): proc_dointvec_minmax with a minimum of 0;
// the value becomes the user's, and the watermarks are recomputed.
std::optional<std::string> Machine::set_min_free_kbytes(int64_t value) {
    if (value < 0 || value > INT32_MAX) return "Invalid argument";
    m_sysctl.min_free_kbytes = static_cast<int>(value);
    m_sysctl.user_min_free_kbytes = static_cast<int>(value);
    setup_per_zone_wmarks();
    emit(EventType::Sysctl, ZoneRef{}, 0, Pfn{});
    return std::nullopt;
}

// watermark_scale_factor_sysctl_handler(): 1 to 3000.
std::optional<std::string> Machine::set_watermark_scale_factor(int64_t value) {
    if (value < 1 || value > 3000) return "Invalid argument";
    m_sysctl.watermark_scale_factor = static_cast<int>(value);
    setup_per_zone_wmarks();
    emit(EventType::Sysctl, ZoneRef{}, 0, Pfn{});
    return std::nullopt;
}

// lowmem_reserve_ratio_sysctl_handler(): proc_dointvec_minmax writes as many
// entries as given; a value below 1 becomes 0; the reserves are recomputed.
std::optional<std::string> Machine::set_lowmem_reserve_ratio(const std::vector<int64_t>& values) {
    if (values.empty() || values.size() > m_sysctl.lowmem_reserve_ratio.size())
        return "Invalid argument";
    for (int64_t v : values)
        if (v > INT32_MAX || v < INT32_MIN) return "Invalid argument";
    for (size_t i = 0; i < values.size(); ++i)
        m_sysctl.lowmem_reserve_ratio[i] = values[i] < 1 ? 0 : static_cast<int>(values[i]);
    setup_per_zone_lowmem_reserve();
    emit(EventType::Sysctl, ZoneRef{}, 0, Pfn{});
    return std::nullopt;
}

} // namespace mm
