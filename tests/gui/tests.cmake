# GUI tests of the studio (Qt Test): document model, parameter binding, engine worker, end-to-end.
# Included by tests/CMakeLists.txt; nothing is registered when the GUI is not built.
if(NOT TARGET consisti2v_studio_lib)
  return()
endif()
find_package(Qt6 REQUIRED COMPONENTS Test)

set(CI2V_GUI_TEST_DIR ${CMAKE_CURRENT_LIST_DIR})
set(CI2V_GUI_OUT ${CMAKE_BINARY_DIR}/tests/gui)
file(MAKE_DIRECTORY ${CI2V_GUI_OUT}/screenshots)

# ci2v_gui_test(<name> <source>): one Qt Test executable, linked to the studio library.
function(ci2v_gui_test name source)
  add_executable(${name} ${CI2V_GUI_TEST_DIR}/${source} ${CI2V_GUI_TEST_DIR}/gui_test_util.h)
  set_target_properties(${name} PROPERTIES AUTOMOC ON)
  target_link_libraries(${name} PRIVATE consisti2v_studio_lib Qt6::Test)
  target_compile_definitions(${name} PRIVATE
    CONSISTI2V_FIXTURES="${CONSISTI2V_FIXTURES}"
    CONSISTI2V_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data"
    CONSISTI2V_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CONSISTI2V_GUI_OUT="${CI2V_GUI_OUT}")
endfunction()

ci2v_gui_test(tst_gui_document tst_document.cpp)
ci2v_gui_test(tst_gui_parameter_panel tst_parameter_panel.cpp)
ci2v_gui_test(tst_gui_worker tst_worker.cpp)
ci2v_gui_test(tst_studio_e2e tst_studio_e2e.cpp)
ci2v_gui_test(tst_gui_camera tst_camera.cpp)
ci2v_gui_test(tst_gui_undo tst_undo.cpp)
ci2v_gui_test(tst_gui_history tst_history.cpp)
ci2v_gui_test(tst_gui_model_download tst_model_download.cpp)
target_compile_definitions(tst_gui_model_download PRIVATE CONSISTI2V_FAKE_HUB="${PROJECT_SOURCE_DIR}/tests/hub/fake_hub.py")

set(CI2V_GUI_ENV "QT_QPA_PLATFORM=offscreen" "QT_MEDIA_BACKEND=gstreamer" "OMP_NUM_THREADS=1")
find_program(CI2V_XVFB_RUN xvfb-run)

# ci2v_gui_offscreen(<test> <executable> LABELS <labels> [ENV <extra env>] [ARGS <args>]): offscreen platform.
# ci2v_gui_xvfb(<test> <executable> LABELS <labels> [ENV <extra env>] [ARGS <args>]): a real X server (Xvfb,
# xcb platform) when xvfb-run exists, else offscreen.
function(ci2v_gui_offscreen name exe)
  cmake_parse_arguments(G "" "TIMEOUT" "LABELS;ENV;ARGS" ${ARGN})
  add_test(NAME ${name} COMMAND ${exe} ${G_ARGS})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${CI2V_GUI_ENV};${G_ENV}" LABELS "${G_LABELS}" TIMEOUT 300)
endfunction()
function(ci2v_gui_xvfb name exe)
  cmake_parse_arguments(G "" "" "LABELS;ENV;ARGS" ${ARGN})
  if(CI2V_XVFB_RUN)
    add_test(NAME ${name}
      COMMAND ${CI2V_XVFB_RUN} -a -s "-screen 0 1600x1200x24" $<TARGET_FILE:${exe}> -platform xcb ${G_ARGS})
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "QT_MEDIA_BACKEND=gstreamer;OMP_NUM_THREADS=1;${G_ENV}")
  else()
    add_test(NAME ${name} COMMAND ${exe} ${G_ARGS})
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${CI2V_GUI_ENV};${G_ENV}")
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${G_LABELS}" TIMEOUT 600)
endfunction()

ci2v_gui_offscreen(gui_document tst_gui_document LABELS gui)
ci2v_gui_offscreen(gui_parameter_panel tst_gui_parameter_panel LABELS gui)
ci2v_gui_offscreen(gui_worker tst_gui_worker LABELS gui)
ci2v_gui_offscreen(gui_model_download tst_gui_model_download LABELS gui)
ci2v_gui_offscreen(gui_undo tst_gui_undo LABELS gui)
ci2v_gui_offscreen(gui_history tst_gui_history LABELS gui)
# Project files (.ci2v), autosave and crash recovery (issue #8).
ci2v_gui_test(tst_gui_project tst_project.cpp)
ci2v_gui_offscreen(gui_project tst_gui_project LABELS gui)
ci2v_gui_test(tst_gui_main_window tst_main_window.cpp)
ci2v_gui_offscreen(gui_main_window tst_gui_main_window LABELS gui)

# End to end in a real X server: load, generate, play, export MP4 + GIF, decode them; screenshots of the main
# states go to build/tests/gui/screenshots. The same window at a 2x device pixel ratio (high-DPI), offscreen.
ci2v_gui_xvfb(studio_e2e tst_studio_e2e LABELS gui studio)
ci2v_gui_offscreen(studio_hidpi tst_studio_e2e LABELS gui studio ENV QT_SCALE_FACTOR=2 ARGS hidpiScreenshot)
# The camera path editor and the FrameInit preview panel, with mouse events; screenshots of both.
ci2v_gui_xvfb(gui_camera tst_gui_camera LABELS gui)

# Translations (issue #8): the .ts files are complete (every entry finished, placeholders / tags / mnemonics kept,
# nothing the sources translate missing, no context that no code looks up), and the studio in Korean: every
# visible text of the main window is Korean; screenshot screenshots/studio_korean.png.
find_package(Qt6 REQUIRED COMPONENTS LinguistTools)
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME i18n_translations
  COMMAND ${Python3_EXECUTABLE} ${CI2V_GUI_TEST_DIR}/check_translations.py
          --ts ${PROJECT_SOURCE_DIR}/translations/consisti2v_ko.ts --ts ${PROJECT_SOURCE_DIR}/translations/consisti2v_en.ts
          --lupdate $<TARGET_FILE:Qt6::lupdate> --include ${PROJECT_SOURCE_DIR}
          --sources ${PROJECT_SOURCE_DIR}/app ${PROJECT_SOURCE_DIR}/widgets)
set_tests_properties(i18n_translations PROPERTIES LABELS "gui;i18n" TIMEOUT 120)
ci2v_gui_test(tst_gui_i18n tst_i18n.cpp)
ci2v_gui_xvfb(gui_korean tst_gui_i18n LABELS gui i18n ENV CONSISTI2V_LANG=ko)

# Without a display: --help prints (off screen) instead of Qt aborting, and a start says what is missing.
ci2v_cli_expect(studio_help_without_display 0 "Usage: .*consisti2v-studio"
  /usr/bin/env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM $<TARGET_FILE:consisti2v-studio> --help)
ci2v_cli_expect(studio_start_without_display 1 "there is no display to show the studio on"
  /usr/bin/env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM $<TARGET_FILE:consisti2v-studio>)
