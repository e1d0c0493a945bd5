# Run after a Criterion test executable is built: list its tests
# (`EXE --list`) and write a CTest include file that registers each one as
# a ctest test of its own, named PREFIX.<suite>.<test>, running
# `EXE --filter <suite>/<test>`. A failing test then shows by name in
# ctest's summary, and `ctest -R` runs a single one. The same idea as
# CMake's gtest_discover_tests, for Criterion.
#
# Variables: TEST_EXE, PREFIX, OUT_FILE, ENV (optional, "VAR=value"),
# LABELS, TIMEOUT.
execute_process(COMMAND "${TEST_EXE}" --list
  OUTPUT_VARIABLE listing ERROR_VARIABLE listing_err
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${TEST_EXE} --list failed: ${listing_err}")
endif()
string(REPLACE "\n" ";" lines "${listing}")
set(script "")
set(suite "")
set(count 0)
foreach(line IN LISTS lines)
  if(line MATCHES "^([A-Za-z0-9_]+): [0-9]+ tests?$")
    set(suite "${CMAKE_MATCH_1}")
  elseif(line MATCHES "── ([A-Za-z0-9_]+)$")
    set(test "${CMAKE_MATCH_1}")
    set(name "${PREFIX}.${suite}.${test}")
    string(APPEND script
      "add_test([==[${name}]==] \"${TEST_EXE}\" --jobs 1 "
      "--filter [==[${suite}/${test}]==])\n"
      "set_tests_properties([==[${name}]==] PROPERTIES LABELS ${LABELS} "
      "TIMEOUT ${TIMEOUT} "
      "FAIL_REGULAR_EXPRESSION \"Sanitizer|runtime error:|Tested: 0 \"")
    if(ENV)
      string(APPEND script " ENVIRONMENT [==[${ENV}]==]")
    endif()
    string(APPEND script ")\n")
    math(EXPR count "${count} + 1")
  endif()
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "${TEST_EXE} --list named no test")
endif()
file(WRITE "${OUT_FILE}" "${script}")
