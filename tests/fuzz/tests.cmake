# libFuzzer targets (fuzz/*.cpp) and their ctest smoke runs.
#
# The fuzzers are built with clang++ directly (custom commands), whatever compiler builds the project, from the
# Torch-free sources they need, with -fsanitize=fuzzer,address,undefined:
#   fuzz_safetensors_header  bytes -> ci2v::io::parse_safetensors (ci2v::Error is the expected answer)
#   fuzz_clip_tokenizer      bytes (any UTF-8, valid or not) -> the fixture CLIP tokenizer
# Target `fuzzers` builds both (part of `all` only with -DCONSISTI2V_FUZZ=ON); the smoke tests build it first
# through the `fuzz_build` setup test. Nothing is registered when no clang++ with libFuzzer is found.
#
# Longer runs by hand, e.g.:
#   build/fuzz/fuzz_clip_tokenizer -max_total_time=600 -dict=fuzz/clip_tokenizer.dict build/fuzz/work_tokenizer fuzz/corpus/tokenizer

set(CI2V_FUZZ_ROOT ${PROJECT_SOURCE_DIR}/fuzz)
if(NOT EXISTS ${CI2V_FUZZ_ROOT}/fuzz_safetensors_header.cpp)
  return()
endif()

# --- a clang++ that links -fsanitize=fuzzer (probed again while none was found: clang installed after the first
# configure is picked up; the CLANGXX search result is forgotten too)
if(NOT CI2V_FUZZ_CXX)
  unset(CI2V_CLANGXX_PROGRAM CACHE)
  set(_cand "")
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    set(_cand ${CMAKE_CXX_COMPILER})
  else()
    find_program(CI2V_CLANGXX_PROGRAM NAMES clang++ clang++-19 clang++-18 clang++-17 clang++-16 clang++-15 clang++-14)
    if(CI2V_CLANGXX_PROGRAM)
      set(_cand ${CI2V_CLANGXX_PROGRAM})
    endif()
  endif()
  set(_ok "")
  if(_cand)
    set(_probe_dir ${CMAKE_BINARY_DIR}/fuzz/probe)
    file(MAKE_DIRECTORY ${_probe_dir})
    file(WRITE ${_probe_dir}/probe.cpp
      "#include <cstddef>\n#include <cstdint>\n#include <string>\n"
      "extern \"C\" int LLVMFuzzerTestOneInput(const uint8_t* d, size_t n) { std::string s((const char*)d, n); return (int)s.size() * 0; }\n")
    execute_process(
      COMMAND ${_cand} -std=c++20 -fsanitize=fuzzer,address,undefined ${_probe_dir}/probe.cpp -o ${_probe_dir}/probe
      RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
    if(_rc EQUAL 0)
      set(_ok ${_cand})
    endif()
  endif()
  set(CI2V_FUZZ_CXX "${_ok}" CACHE STRING "clang++ used for the libFuzzer targets (empty: none found)" FORCE)
endif()

if(NOT CI2V_FUZZ_CXX)
  message(STATUS "ConsistI2V: no clang++ with libFuzzer (-fsanitize=fuzzer) found: fuzz targets and the fuzz_*_smoke tests are not registered")
  if(CONSISTI2V_FUZZ)
    message(WARNING "CONSISTI2V_FUZZ=ON but no clang++ with libFuzzer was found")
  endif()
  return()
endif()
message(STATUS "ConsistI2V: libFuzzer targets built with ${CI2V_FUZZ_CXX}")

set(CI2V_FUZZ_BIN ${CMAKE_BINARY_DIR}/fuzz)
file(MAKE_DIRECTORY ${CI2V_FUZZ_BIN}/work_safetensors ${CI2V_FUZZ_BIN}/work_tokenizer ${CI2V_FUZZ_BIN}/artifacts)

set(CI2V_FUZZ_FLAGS -std=c++20 -O1 -g -fno-omit-frame-pointer
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
  -I${PROJECT_SOURCE_DIR})
# Include folders of ICU and nlohmann_json, minus the system ones (an explicit -I/usr/include breaks #include_next).
get_target_property(_json_inc nlohmann_json::nlohmann_json INTERFACE_INCLUDE_DIRECTORIES)
foreach(_dir ${ICU_INCLUDE_DIRS} ${_json_inc})
  if(_dir AND NOT _dir MATCHES "^/usr(/local)?/include/?$" AND NOT _dir MATCHES "NOTFOUND")
    list(APPEND CI2V_FUZZ_FLAGS -I${_dir})
  endif()
endforeach()
file(GLOB CI2V_FUZZ_HEADERS CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/engine/error.h ${PROJECT_SOURCE_DIR}/engine/io/safetensors.h
  ${PROJECT_SOURCE_DIR}/engine/text/clip_tokenizer.h ${PROJECT_SOURCE_DIR}/engine/io/json_text.h
  ${PROJECT_SOURCE_DIR}/engine/files.h)

# ci2v_add_fuzzer(name source... [DEFINES ...] [LIBS ...])
function(ci2v_add_fuzzer name)
  cmake_parse_arguments(F "" "" "SOURCES;DEFINES;LIBS" ${ARGN})
  set(_out ${CI2V_FUZZ_BIN}/${name})
  set(_defs "")
  foreach(_d ${F_DEFINES})
    list(APPEND _defs "-D${_d}")
  endforeach()
  add_custom_command(OUTPUT ${_out}
    COMMAND ${CI2V_FUZZ_CXX} ${CI2V_FUZZ_FLAGS} ${_defs} ${F_SOURCES} -o ${_out} ${F_LIBS}
    DEPENDS ${F_SOURCES} ${CI2V_FUZZ_HEADERS}
    COMMENT "Building libFuzzer target ${name}"
    COMMAND_EXPAND_LISTS VERBATIM)
  set(CI2V_FUZZ_OUTPUTS ${CI2V_FUZZ_OUTPUTS} ${_out} PARENT_SCOPE)
endfunction()

set(CI2V_FUZZ_OUTPUTS "")
ci2v_add_fuzzer(fuzz_safetensors_header
  SOURCES ${CI2V_FUZZ_ROOT}/fuzz_safetensors_header.cpp
          ${PROJECT_SOURCE_DIR}/engine/io/safetensors.cpp ${PROJECT_SOURCE_DIR}/engine/io/json_text.cpp
          ${PROJECT_SOURCE_DIR}/engine/error.cpp ${PROJECT_SOURCE_DIR}/engine/entropy.cpp
          ${PROJECT_SOURCE_DIR}/engine/files.cpp)
ci2v_add_fuzzer(fuzz_clip_tokenizer
  SOURCES ${CI2V_FUZZ_ROOT}/fuzz_clip_tokenizer.cpp
          ${PROJECT_SOURCE_DIR}/engine/text/clip_tokenizer.cpp ${PROJECT_SOURCE_DIR}/engine/io/json_text.cpp
          ${PROJECT_SOURCE_DIR}/engine/error.cpp ${PROJECT_SOURCE_DIR}/engine/entropy.cpp
          ${PROJECT_SOURCE_DIR}/engine/files.cpp
  DEFINES CI2V_FUZZ_TOKENIZER_DIR="${CONSISTI2V_FIXTURES}/tiny_pipeline/tokenizer"
  LIBS ${ICU_UC_LIBRARIES})

if(CONSISTI2V_FUZZ)
  add_custom_target(fuzzers ALL DEPENDS ${CI2V_FUZZ_OUTPUTS})
else()
  add_custom_target(fuzzers DEPENDS ${CI2V_FUZZ_OUTPUTS})
endif()

# --- smoke runs: a fixed number of executions from the seed corpus; new inputs go to the build tree,
# crash reproducers to build/fuzz/artifacts/. A crash, a sanitizer report or a leak fails the test.
add_test(NAME fuzz_build COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target fuzzers)
set_tests_properties(fuzz_build PROPERTIES FIXTURES_SETUP ci2v_fuzzers LABELS fuzz TIMEOUT 900)

set(CI2V_FUZZ_SMOKE_RUNS 20000 CACHE STRING "libFuzzer executions per fuzz smoke test")
add_test(NAME fuzz_safetensors_smoke
  COMMAND ${CI2V_FUZZ_BIN}/fuzz_safetensors_header -runs=${CI2V_FUZZ_SMOKE_RUNS} -seed=1 -max_total_time=240
          -dict=${CI2V_FUZZ_ROOT}/safetensors.dict -artifact_prefix=${CI2V_FUZZ_BIN}/artifacts/
          ${CI2V_FUZZ_BIN}/work_safetensors ${CI2V_FUZZ_ROOT}/corpus/safetensors)
add_test(NAME fuzz_tokenizer_smoke
  COMMAND ${CI2V_FUZZ_BIN}/fuzz_clip_tokenizer -runs=${CI2V_FUZZ_SMOKE_RUNS} -seed=1 -max_total_time=240
          -dict=${CI2V_FUZZ_ROOT}/clip_tokenizer.dict -artifact_prefix=${CI2V_FUZZ_BIN}/artifacts/
          ${CI2V_FUZZ_BIN}/work_tokenizer ${CI2V_FUZZ_ROOT}/corpus/tokenizer)
set_tests_properties(fuzz_safetensors_smoke fuzz_tokenizer_smoke PROPERTIES
  FIXTURES_REQUIRED ci2v_fuzzers LABELS fuzz TIMEOUT 300
  PASS_REGULAR_EXPRESSION "Done [0-9]+ runs"
  FAIL_REGULAR_EXPRESSION "==ERROR|runtime error|deadly signal|SUMMARY: ")
