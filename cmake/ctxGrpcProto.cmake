# For the gRPC bridge's tests and example:
# ctx_grpc_proto(<target> <file.proto>): a static library of the protobuf and
# gRPC code generated from one .proto file (protoc + grpc_cpp_plugin);
# ctx_grpc_test_env(<test>...): under CTX_SANITIZER=thread, the tests read
# test/grpc/tsan.supp (races TSan reports because gRPC is not instrumented). gRPC's imported targets are local to
# a directory, so each directory including this finds gRPC (and, through
# gRPC's package, Protobuf) for itself.
include_guard(DIRECTORY)
find_package(gRPC CONFIG REQUIRED)
function(ctx_grpc_proto target proto)
  get_filename_component(_name ${proto} NAME_WE)
  get_filename_component(_dir ${proto} DIRECTORY)
  set(_out ${CMAKE_CURRENT_BINARY_DIR}/${target})
  set(_gen ${_out}/${_name}.pb.cc ${_out}/${_name}.pb.h ${_out}/${_name}.grpc.pb.cc ${_out}/${_name}.grpc.pb.h)
  file(MAKE_DIRECTORY ${_out})
  add_custom_command(OUTPUT ${_gen}
    COMMAND protobuf::protoc --cpp_out=${_out} --grpc_out=${_out}
            --plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin> -I ${_dir} ${proto}
    DEPENDS ${proto} protobuf::protoc gRPC::grpc_cpp_plugin
    COMMENT "protoc ${_name}.proto (C++ and gRPC)")
  add_library(${target} STATIC ${_gen})
  target_include_directories(${target} SYSTEM PUBLIC ${_out})
  target_link_libraries(${target} PUBLIC gRPC::grpc++ protobuf::libprotobuf)
endfunction()

function(ctx_grpc_test_env)
  if(CTX_SANITIZER STREQUAL "thread")
    set_property(TEST ${ARGN} APPEND PROPERTY ENVIRONMENT_MODIFICATION
      "TSAN_OPTIONS=string_append: suppressions=${CTX_GRPC_TSAN_SUPP}")
  endif()
endfunction()
set(CTX_GRPC_TSAN_SUPP ${CMAKE_CURRENT_LIST_DIR}/../test/grpc/tsan.supp)
