# Compiler flags and the helpers every folder uses to declare its targets.

if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE RelWithDebInfo)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

add_compile_options(-Wall -Wextra -Wpedantic)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # g++ 12 misreads Asio's coroutine frame allocator as mismatched new/delete (GCC PR 109224).
  add_compile_options(-Wno-mismatched-new-delete)
endif()
if(TETHER_WERROR)
  add_compile_options(-Werror)
endif()

# Boost 1.74's Asio does not detect coroutine support under clang with libstdc++.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  add_compile_definitions(BOOST_ASIO_HAS_CO_AWAIT BOOST_ASIO_HAS_STD_COROUTINE)
endif()

if(TETHER_SANITIZE)
  # -fno-sanitize=function: clang 14 cannot emit that check for coroutine frames.
  set(TETHER_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize=function
      -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${TETHER_SANITIZER_FLAGS})
  add_link_options(${TETHER_SANITIZER_FLAGS})
endif()

if(TETHER_FUZZ)
  # Coverage feedback from every object, not only the fuzz harness: without it libFuzzer
  # cannot see into the libraries it tests (redactor_fuzz: 194 coverage points -> 2031).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# tether_library(NAME folder SOURCES ... DEPS ...): the folder's library,
# target tether_<folder>, alias tether::<folder>, includes rooted at the source tree.
function(tether_library folder)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(tether_${folder} STATIC ${ARG_SOURCES})
  add_library(tether::${folder} ALIAS tether_${folder})
  target_include_directories(tether_${folder} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(tether_${folder} PUBLIC ${ARG_DEPS})
endfunction()

# tether_executable(NAME SOURCES ... DEPS ...): a thin main in build/bin.
function(tether_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  install(TARGETS ${name} RUNTIME DESTINATION bin)
endfunction()

# tether_test(NAME SOURCES ... DEPS ... [LABELS ...]): a Catch2 executable whose
# test cases CTest discovers one by one.
function(tether_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE tether_catch_main ${ARG_DEPS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_compile_definitions(${name} PRIVATE
    TETHER_SOURCE_DIR="${PROJECT_SOURCE_DIR}" TETHER_BIN_DIR="${CMAKE_BINARY_DIR}/bin")
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  catch_discover_tests(${name} TEST_PREFIX "${name}: "
    PROPERTIES LABELS "${ARG_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()

# tether_fuzz_target(NAME SOURCES ... DEPS ... [SECONDS n]): a libFuzzer target,
# run by CTest for a bounded time on its seed corpus (tests/fuzz/corpus/NAME).
function(tether_fuzz_target name)
  cmake_parse_arguments(ARG "" "SECONDS" "SOURCES;DEPS" ${ARGN})
  if(NOT TETHER_FUZZ)
    return()
  endif()
  if(NOT ARG_SECONDS)
    set(ARG_SECONDS 20)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
  set(corpus ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
  set(work ${CMAKE_BINARY_DIR}/fuzz/${name}.corpus)
  add_test(NAME "fuzz: ${name}"
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
      ${CMAKE_BINARY_DIR}/fuzz/${name} -max_total_time=${ARG_SECONDS} -rss_limit_mb=2048
      -timeout=10 -print_final_stats=1 -artifact_prefix=${CMAKE_BINARY_DIR}/fuzz/${name}- ${work} ${corpus})
  set_tests_properties("fuzz: ${name}" PROPERTIES LABELS fuzz
    FIXTURES_REQUIRED "fuzz_${name}_corpus")
  add_test(NAME "fuzz: ${name} corpus" COMMAND ${CMAKE_COMMAND} -E make_directory ${work})
  set_tests_properties("fuzz: ${name} corpus" PROPERTIES FIXTURES_SETUP "fuzz_${name}_corpus")
endfunction()
