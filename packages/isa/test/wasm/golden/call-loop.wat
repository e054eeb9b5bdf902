(module
  (import "greenthreads" "memory" (memory 1))
  (func $resume (export "resume") (param $block i32) (result i32)
    (local $r0 i64)
    (local $r1 i64)
    (local $r2 i64)
    (local $r3 i64)
    (local $r4 i64)
    (local $r5 i64)
    (local $r6 i64)
    (local $r7 i64)
    (local $fuel i64)
    (local $a i64)
    (local $index i64)
    (local $sp i32)
    (local $limit i32)
    (local $high i32)
    (local $pc i32)
    (local $kind i32)
    (local $ins i32)
    (local $entry i32)
    ;; prologue: the thread's state from its block
    local.get $block
    i64.load offset=88
    local.set $r0
    local.get $block
    i64.load offset=96
    local.set $r1
    local.get $block
    i64.load offset=104
    local.set $r2
    local.get $block
    i64.load offset=112
    local.set $r3
    local.get $block
    i64.load offset=120
    local.set $r4
    local.get $block
    i64.load offset=128
    local.set $r5
    local.get $block
    i64.load offset=136
    local.set $r6
    local.get $block
    i64.load offset=144
    local.set $r7
    local.get $block
    i32.load offset=152
    local.set $sp
    local.get $block
    i32.load offset=40
    local.set $limit
    local.get $block
    i32.load offset=48
    local.set $high
    local.get $block
    i32.load offset=80
    local.set $pc
    block
      loop
        block
          block
            block
              block
                block
                  block
                    block
                      block
                        block
                          local.get $pc
                          br_table 2 3 0 0 4 5 6 7 8 1
                        end
                        unreachable
                      end
                      ;; return check: pop the word in $index and enter it if it follows a call
                      block
                        local.get $index
                        i64.const 9
                        i64.ge_u
                        br_if 0
                        block
                          local.get $sp
                          i32.const 8
                          i32.add
                          local.set $sp
                          local.get $index
                          i32.wrap_i64
                          br_table 0 0 0 0 0 5 0 0 0 0
                        end
                        local.get $sp
                        i32.const 8
                        i32.sub
                        local.set $sp
                      end
                      i64.const 3
                      local.set $a
                      i32.const 5
                      local.set $kind
                      local.get $ins
                      local.set $pc
                      br 8
                    end
                    ;; i0: mov r0, 3
                    i64.const 3
                    local.set $r0
                  end
                  loop
                    block
                      block
                        ;; i1: add r1, r1, r0
                        local.get $r1
                        local.get $r0
                        i64.add
                        local.set $r1
                      end
                      ;; i2: sub r0, r0, 1
                      local.get $r0
                      i64.const 1
                      i64.sub
                      local.set $r0
                    end
                    ;; i3: bne r0, 0, loop
                    local.get $r0
                    i64.const 0
                    i64.ne
                    br_if 0
                  end
                end
                ;; i4: call double
                local.get $sp
                local.get $limit
                i32.le_u
                if
                  i64.const 1
                  local.set $a
                  i32.const 5
                  local.set $kind
                  i32.const 4
                  local.set $ins
                  i32.const 4
                  local.set $pc
                  br 6
                end
                local.get $sp
                i32.const 8
                i32.sub
                local.tee $sp
                i64.const 5
                i64.store
                br 2
              end
              ;; i5: yield r1
              local.get $r1
              local.set $a
              i32.const 1
              local.set $kind
              i32.const 5
              local.set $ins
              i32.const 6
              local.set $pc
              br 4
            end
            ;; i6: jmp loop
            i32.const 1
            local.set $pc
            br 2
          end
          ;; i7: add r1, r1, r1
          local.get $r1
          local.get $r1
          i64.add
          local.set $r1
        end
        ;; i8: ret
        local.get $sp
        local.get $high
        i32.ge_u
        if
          i64.const 2
          local.set $a
          i32.const 5
          local.set $kind
          i32.const 8
          local.set $ins
          i32.const 8
          local.set $pc
          br 2
        end
        local.get $sp
        i64.load
        local.set $index
        i32.const 8
        local.set $ins
        i32.const 9
        local.set $pc
        br 0
      end
    end
    ;; epilogue: the trap record and the thread's state to its block
    local.get $block
    local.get $kind
    i64.extend_i32_u
    i64.store
    local.get $block
    local.get $a
    i64.store offset=8
    local.get $block
    local.get $ins
    i64.extend_i32_u
    i64.store offset=16
    local.get $block
    local.get $index
    i64.store offset=24
    local.get $block
    local.get $pc
    i64.extend_i32_u
    i64.store offset=80
    local.get $block
    local.get $r0
    i64.store offset=88
    local.get $block
    local.get $r1
    i64.store offset=96
    local.get $block
    local.get $r2
    i64.store offset=104
    local.get $block
    local.get $r3
    i64.store offset=112
    local.get $block
    local.get $r4
    i64.store offset=120
    local.get $block
    local.get $r5
    i64.store offset=128
    local.get $block
    local.get $r6
    i64.store offset=136
    local.get $block
    local.get $r7
    i64.store offset=144
    local.get $block
    local.get $sp
    i32.store offset=152
    local.get $kind
  )
)
