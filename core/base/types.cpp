// Names of the basic kernel enums (see types.h).
#include "core/base/types.h"

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

} // namespace mm
