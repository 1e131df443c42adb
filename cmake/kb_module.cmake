# Helpers that keep each module's CMakeLists.txt a few lines long.

# Compile options every first-party target gets.
add_library(kb_options INTERFACE)
target_compile_options(kb_options INTERFACE -Wall -Wextra -Wpedantic)
# C++20 designated initializers leave the other members at their defaults on
# purpose; GCC 12's -Wextra still calls that a missing initializer.
target_compile_options(kb_options INTERFACE -Wno-missing-field-initializers)
# GCC 12 at -O3 reports impossible std::string memcpy overlaps (GCC bug 105329);
# the warning is noise there, so it must not fail a -Werror build.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(kb_options INTERFACE -Wno-restrict)
endif()
# Asio: no deprecated API, and our coroutines only.
target_compile_definitions(kb_options INTERFACE
  BOOST_ASIO_NO_DEPRECATED BOOST_ASIO_DISABLE_BOOST_COROUTINE BOOST_BEAST_USE_STD_STRING_VIEW)
if(KB_WERROR)
  target_compile_options(kb_options INTERFACE -Werror)
endif()
if(KB_SANITIZE)
  target_compile_options(kb_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                              -fno-sanitize-recover=undefined)
  target_link_options(kb_options INTERFACE -fsanitize=address,undefined)
endif()

# kb_module(NAME <target> SOURCES ... DEPS ...)
# A library with a public include/ face and a private src/.
function(kb_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_library(${M_NAME} STATIC ${M_SOURCES})
  target_include_directories(${M_NAME} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                       PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(${M_NAME} PUBLIC kb_options ${M_DEPS})
endfunction()

# kb_unit_test(NAME <exe> SOURCES ... DEPS ...)
# A Boost.Test executable registered with CTest under the `unit` label.
function(kb_unit_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE kb_options ${T_DEPS} Boost::unit_test_framework)
  target_compile_definitions(${T_NAME} PRIVATE BOOST_TEST_DYN_LINK)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} --log_level=message)
  set_tests_properties(${T_NAME} PROPERTIES LABELS unit TIMEOUT 300)
endfunction()

# kb_integration_test(NAME <exe> SOURCES ... DEPS ...)
# A Boost.Test executable that needs the environment from scripts/env.sh.
function(kb_integration_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE kb_options ${T_DEPS} Boost::unit_test_framework)
  target_compile_definitions(${T_NAME} PRIVATE BOOST_TEST_DYN_LINK)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} --log_level=message)
  set_tests_properties(${T_NAME} PROPERTIES LABELS integration TIMEOUT 1200 RUN_SERIAL ON)
endfunction()

# kb_script_test(NAME <name> COMMAND ... LABEL <label>)
# A shell-driven test (interop with kcat, awscli, Kafka's Java tools).
function(kb_script_test)
  cmake_parse_arguments(T "" "NAME;LABEL" "COMMAND" ${ARGN})
  add_test(NAME ${T_NAME} COMMAND ${T_COMMAND})
  set_tests_properties(${T_NAME} PROPERTIES LABELS ${T_LABEL} TIMEOUT 1200 RUN_SERIAL ON
    ENVIRONMENT "KB_BIN=${CMAKE_BINARY_DIR}/bin;KB_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endfunction()
