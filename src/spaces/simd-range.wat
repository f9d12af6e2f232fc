;; The WebAssembly SIMD kernels of Box.contains' bulk range check (simd-range.ts): "every element
;; lies in [lo, hi]" for float32 (f32) and float64 (f64) data. Comparisons with NaN are false, so
;; NaN fails. Assembled by scripts/build-wasm.ts into generated/simd-range-bytes.ts;
;; test/spaces/simd-range-bytes.test.ts checks that the committed bytes are this file's.
;;
;; Memory: exported, 16 pages (1 MiB); the caller copies data into it chunk by chunk from byte 0.
(module
  (memory (export "memory") 16)

  ;; 1 when all 4 * nvec float32 values at byte 0.. lie in [lo, hi], else 0.
  (func (export "f32") (param $nvec i32) (param $lo f32) (param $hi f32) (result i32)
    (local $i i32) (local $vlo v128) (local $vhi v128) (local $acc v128) (local $v v128)
    (local.set $vlo (f32x4.splat (local.get $lo)))
    (local.set $vhi (f32x4.splat (local.get $hi)))
    (local.set $acc (i32x4.splat (i32.const -1)))
    (local.set $nvec (i32.shl (local.get $nvec) (i32.const 4)))        ;; vectors -> bytes
    (block
      (br_if 0 (i32.eqz (local.get $nvec)))
      (loop
        (local.set $v (v128.load (local.get $i)))
        (local.set $acc (v128.and
          (v128.and (f32x4.ge (local.get $v) (local.get $vlo)) (f32x4.le (local.get $v) (local.get $vhi)))
          (local.get $acc)))
        (br_if 0 (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $nvec)))))
    (i8x16.all_true (local.get $acc)))

  ;; 1 when all 2 * nvec float64 values at byte 0.. lie in [lo, hi], else 0.
  (func (export "f64") (param $nvec i32) (param $lo f64) (param $hi f64) (result i32)
    (local $i i32) (local $vlo v128) (local $vhi v128) (local $acc v128) (local $v v128)
    (local.set $vlo (f64x2.splat (local.get $lo)))
    (local.set $vhi (f64x2.splat (local.get $hi)))
    (local.set $acc (i32x4.splat (i32.const -1)))
    (local.set $nvec (i32.shl (local.get $nvec) (i32.const 4)))
    (block
      (br_if 0 (i32.eqz (local.get $nvec)))
      (loop
        (local.set $v (v128.load (local.get $i)))
        (local.set $acc (v128.and
          (v128.and (f64x2.ge (local.get $v) (local.get $vlo)) (f64x2.le (local.get $v) (local.get $vhi)))
          (local.get $acc)))
        (br_if 0 (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $nvec)))))
    (i8x16.all_true (local.get $acc)))
)
