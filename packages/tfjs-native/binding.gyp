{
  "targets": [
    {
      "target_name": "tfjs_native",
      "sources": ["src/native/addon.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-fopenmp"],
      "ldflags": ["-fopenmp"],
      "libraries": ["-ldnnl"],
      "conditions": [["target_arch=='x64'", { "cflags_cc": ["-march=x86-64-v3"] }]]
    }
  ]
}
