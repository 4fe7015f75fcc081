# cmake -P script: compiles the CUDA-only code paths of a CPU-only build, so that they do not rot between the
# sessions that have a GPU. The C++ files that mention CONSISTI2V_TORCH_CUDA / CONSISTI2V_HAVE_CUDA_KERNELS are
# compiled (-fsyntax-only: full semantic analysis, no code) with both macros on against the ATen CUDA headers
# that LibTorch ships; the .cu kernels are compiled by nvcc. A compile error fails the test with the compiler's
# message. It checks the code against this LibTorch's headers (1.13 here), not the 2.x API of the GPU machine.
#
# In: CXX, NVCC, SOURCE_DIR, WORK_DIR, TORCH_INCLUDES, CXX_FILES, CU_FILES (|-separated lists of paths, the files
#     relative to SOURCE_DIR), CUDA_ARCH (e.g. 90).
foreach(v CXX NVCC SOURCE_DIR WORK_DIR CXX_FILES CU_FILES CUDA_ARCH)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "check_cuda_sources: ${v} is not set")
  endif()
endforeach()
foreach(v TORCH_INCLUDES CXX_FILES CU_FILES)
  string(REPLACE "|" ";" ${v} "${${v}}")
endforeach()
get_filename_component(_cuda_root "${NVCC}" DIRECTORY)
get_filename_component(_cuda_root "${_cuda_root}" DIRECTORY)
# Debian's LibTorch ships c10/cuda without the header its CMake generates for a CUDA build; an empty stand-in
# (the shared-library variant) is enough to compile against the declarations.
set(_stub "${WORK_DIR}/stub")
file(WRITE "${_stub}/c10/cuda/impl/cuda_cmake_macros.h" "#pragma once\n#define C10_CUDA_BUILD_SHARED_LIBS\n")
set(_inc -I${SOURCE_DIR} -isystem ${_stub})
foreach(d IN LISTS TORCH_INCLUDES)
  # the compiler's own system folders stay where they are (-isystem /usr/include breaks #include_next)
  if(NOT d STREQUAL "/usr/include" AND NOT d STREQUAL "/usr/local/include")
    list(APPEND _inc -isystem ${d})
  endif()
endforeach()
list(APPEND _inc -isystem ${_cuda_root}/include)
set(_failed 0)
# Runs one compile command; reports "<what>: <file>" and the compiler's output when it fails.
function(_compile what file)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc EQUAL 0)
    message(STATUS "${what}: ${file}")
  else()
    message(SEND_ERROR "${what} FAILED: ${file}\n${out}${err}")
    set(_failed 1 PARENT_SCOPE)
  endif()
endfunction()
foreach(f IN LISTS CXX_FILES)
  _compile("compiles with CUDA on" ${f}
           ${CXX} -std=c++20 -fsyntax-only -D_GLIBCXX_USE_CXX11_ABI=1 -DCONSISTI2V_TORCH_CUDA=1
           -DCONSISTI2V_HAVE_CUDA_KERNELS=1 -DCONSISTI2V_HAVE_MEDIA=1 -DCONSISTI2V_HAVE_HUB=1
           "-DCONSISTI2V_VERSION=\"cuda-check\"" "-DCONSISTI2V_FIXTURES=\"fixtures\"" ${_inc} -include ${SOURCE_DIR}/engine/engine_pch.h ${SOURCE_DIR}/${f})
endforeach()
foreach(f IN LISTS CU_FILES)
  get_filename_component(_name "${f}" NAME_WE)
  _compile("nvcc compiles (sm_${CUDA_ARCH})" ${f}
           ${NVCC} -std=c++17 -arch=sm_${CUDA_ARCH} -I${SOURCE_DIR} -c ${SOURCE_DIR}/${f} -o ${WORK_DIR}/${_name}.o)
endforeach()
if(_failed)
  message(FATAL_ERROR "CUDA code paths do not compile (see above)")
endif()
