// Names of the basic kernel enums, and pfns and addresses on streams (see
// types.h).
#include "core/base/types.h"

#include <ostream>

namespace mm {

const char* zone_kind_name(ZoneKind kind) {
    switch (kind) {
    case ZoneKind::DMA:
        return "DMA";
    case ZoneKind::DMA32:
        return "DMA32";
    case ZoneKind::Normal:
        return "Normal";
    case ZoneKind::HighMem:
        return "HighMem";
    case ZoneKind::Movable:
        return "Movable";
    case ZoneKind::Device:
        return "Device";
    }
    return "?";
}

std::ostream& operator<<(std::ostream& os, Pfn pfn) {
    const std::ios_base::fmtflags flags = os.flags();
    os << "0x" << std::hex << pfn.value();
    os.flags(flags);
    return os;
}

std::ostream& operator<<(std::ostream& os, PhysAddr addr) {
    const std::ios_base::fmtflags flags = os.flags();
    os << "0x" << std::hex << addr.value();
    os.flags(flags);
    return os;
}

} // namespace mm
