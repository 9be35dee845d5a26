# casegraph_module(NAME DEPS ...): builds src/<NAME> as static library cg_<NAME> from every
# *.cc in the folder except *_test.cc, and, when tests are on, cg_<NAME>_tests from the
# *_test.cc files beside it. New files are picked up without editing CMake.
function(casegraph_module name)
  cmake_parse_arguments(ARG "" "" "DEPS;TEST_DEPS" ${ARGN})
  file(GLOB all_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  file(GLOB test_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc)
  set(lib_sources ${all_sources})
  if(test_sources)
    list(REMOVE_ITEM lib_sources ${test_sources})
  endif()
  if(NOT lib_sources)
    # A stage with no code yet: keep the target so dependents configure.
    add_library(cg_${name} INTERFACE)
    target_include_directories(cg_${name} INTERFACE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(cg_${name} INTERFACE ${ARG_DEPS})
    return()
  endif()
  add_library(cg_${name} STATIC ${lib_sources})
  target_include_directories(cg_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(cg_${name} PUBLIC ${ARG_DEPS})
  set_target_properties(cg_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  if(CASEGRAPH_BUILD_TESTS AND test_sources)
    add_executable(cg_${name}_tests ${test_sources})
    target_link_libraries(cg_${name}_tests PRIVATE cg_${name} ${ARG_TEST_DEPS} GTest::gtest GTest::gtest_main)
    target_compile_definitions(cg_${name}_tests PRIVATE
      CASEGRAPH_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
      CASEGRAPH_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
    gtest_discover_tests(cg_${name}_tests DISCOVERY_TIMEOUT 60
      PROPERTIES ENVIRONMENT "CASEGRAPH_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  endif()
endfunction()
