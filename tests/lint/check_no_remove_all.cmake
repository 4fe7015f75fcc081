# cmake -P script: fails when a C++ source calls std::filesystem::remove_all. Executables that link a PyTorch
# wheel's libtorch bind std::filesystem to the copy libtorch exports, whose remove_all crashed; the project uses
# ci2v::remove_tree (engine/files.h) instead. In: SOURCE_DIR.
file(GLOB_RECURSE _files ${SOURCE_DIR}/engine/*.cpp ${SOURCE_DIR}/engine/*.h ${SOURCE_DIR}/cli/*.cpp ${SOURCE_DIR}/cli/*.h
     ${SOURCE_DIR}/bench/*.cpp ${SOURCE_DIR}/tests/*.cpp ${SOURCE_DIR}/tests/*.h ${SOURCE_DIR}/app/*.cpp
     ${SOURCE_DIR}/app/*.h ${SOURCE_DIR}/widgets/*.cpp ${SOURCE_DIR}/widgets/*.h ${SOURCE_DIR}/fuzz/*.cpp)
set(_bad "")
foreach(f IN LISTS _files)
  file(STRINGS ${f} _hits REGEX "remove_all\\(")
  if(_hits)
    file(RELATIVE_PATH _rel ${SOURCE_DIR} ${f})
    list(APPEND _bad "${_rel}: ${_hits}")
  endif()
endforeach()
if(_bad)
  string(REPLACE ";" "\n  " _list "${_bad}")
  message(FATAL_ERROR "std::filesystem::remove_all is called (use ci2v::remove_tree from engine/files.h):\n  ${_list}")
endif()
list(LENGTH _files _n)
message(STATUS "no remove_all call in ${_n} files")
