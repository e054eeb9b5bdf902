{
  "targets": [
    {
      "target_name": "greenthreads_switch",
      "sources": [
        "native/addon/addon.c",
        "native/addon/fault_posix.c",
        "native/addon/memory_posix.c",
        "native/addon/region.c",
        "native/addon/signal_info.c",
        "native/addon/signals_posix.c",
        "native/addon/stack.c",
        "native/addon/thread.c"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-std=gnu11", "-O2", "-fvisibility=hidden", "-Wall", "-Wextra"],
      "conditions": [
        ["target_arch=='x64'", {
          "sources": [
            "native/asm/switch_x86_64_sysv_elf_gas.S",
            "native/asm/start_x86_64_sysv_elf_gas.S"
          ]
        }],
        ["target_arch=='arm64'", {
          "sources": [
            "native/asm/switch_aarch64_aapcs64_elf_gas.S",
            "native/asm/start_aarch64_aapcs64_elf_gas.S"
          ]
        }]
      ]
    }
  ]
}
