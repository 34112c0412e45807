// What main.cpp (the window, the GL context, the frame loop) shares with
// bridge.cpp (the JavaScript API of the page): the lab, the app and the
// figures of the last frame, which tests read through the bridge.
#pragma once

#include "core/lab/lab.h"
#include "ui/app.h"

#include <cstdint>
#include <string>

namespace web {

struct FrameStats {
    uint64_t frames = 0;   // frames drawn so far
    double cpu_ms = 0;     // CPU time of the last frame: events, UI, GL calls (no swap)
    double cpu_ms_avg = 0; // exponential average of cpu_ms (1/16 weight)
    double cpu_ms_max = 0; // slowest frame so far, the first one excluded
    int width = 0;         // window size in logical pixels (CSS pixels in the page)
    int height = 0;
    int fb_width = 0; // framebuffer size in device pixels
    int fb_height = 0;
    float pixel_scale = 1; // device pixels per logical pixel (devicePixelRatio)
    int font_builds = 0;   // how many times the font atlas was built
};

struct Shell {
    mm::Lab* lab = nullptr;
    ui::App* app = nullptr;
    FrameStats stats;
    std::string gl_version; // glGetString(GL_VERSION), e.g. "OpenGL ES 3.0 (WebGL 2.0 ...)"
};

Shell& shell();

// Tells the page that the lab takes commands (resolves mmlab.ready); called
// once, after the first frame. Defined in bridge.cpp (browser only).
void notify_ready();

// Tells the page that the lab cannot start (no WebGL 2, ...): mmlab.ready
// rejects with `reason` and the loading message shows it. Browser only.
void notify_failure(const char* reason);

// Hands a menu item's request (share link, download or load the state file;
// ui::PlatformRequest as an int) to the page. Browser only; on the desktop
// the app notes that it is not available.
void platform_request(int request);

// Adds a performance mark `name` to the page's timeline (performance.mark;
// mmlab.timings() reads them): where the time to mmlab.ready goes. A no-op
// on the desktop.
void mark(const char* name);

// Shows `text` in the page's reader overlay, titled `title` (Module's
// mmlabOpenReader in web/api.js). Browser only.
void open_reader(const std::string& title, const std::string& text);

} // namespace web
