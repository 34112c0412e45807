# Dear ImGui 1.86 from Debian's source (scripts/setup.sh unpacks it into
# .cache/src/imgui). The same sources serve the native and the web build.
set(MMLAB_IMGUI_DIR "${MMLAB_THIRD_PARTY}/imgui")
if(NOT EXISTS "${MMLAB_IMGUI_DIR}/imgui.h")
  message(FATAL_ERROR "imgui 1.86 sources not found in ${MMLAB_IMGUI_DIR}: run scripts/setup.sh")
endif()
add_library(imgui STATIC
  ${MMLAB_IMGUI_DIR}/imgui.cpp
  ${MMLAB_IMGUI_DIR}/imgui_draw.cpp
  ${MMLAB_IMGUI_DIR}/imgui_tables.cpp
  ${MMLAB_IMGUI_DIR}/imgui_widgets.cpp
  ${MMLAB_IMGUI_DIR}/imgui_demo.cpp)
target_include_directories(imgui SYSTEM PUBLIC ${MMLAB_IMGUI_DIR})
# imgui_demo.cpp is compiled only for ShowMetricsWindow-style helpers; no demo
# window is shown. Third-party code gets no project warnings.
target_compile_definitions(imgui PUBLIC IMGUI_DISABLE_OBSOLETE_FUNCTIONS)
