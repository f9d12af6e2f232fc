;; The WebAssembly SIMD kernel of SamSegEnv's float32 sigmoid (sigmoid.ts states the operation
;; sequence; this kernel performs the same float32 operations four lanes at a time, so its maps
;; are bit-identical to sigmoidInto's), with the overlap sums of overlapSums (rewards/soft-dice.ts)
;; fused in. Assembled by scripts/build-wasm.ts, which replaces each placeholder (a
;; constant name in double braces) by its value and writes the bytes to generated/sigmoid-kernel-bytes.ts;
;; test/envs/sam-seg/probability-maps.test.ts checks that the committed bytes are this file's.
;;
;; Memory: imported, owned by one ProbabilityMaps; the export takes byte addresses, multiples of 16.
(module
  (import "env" "memory" (memory 1))

  ;; out[j] = sigmoid(in[j]) for j < 4 * quads (float32 arrays at byte addresses in, out). When
  ;; overlap is nonzero, also the overlap sums of the written probabilities p against the ground
  ;; truth g (uint8 at byte address gt, foreground = nonzero), stored at byte address res as
  ;;   f64 sum(p), f64 sum(p where g), i32 count(p > 0.5), i32 count(p > 0.5 where g), i32 count(g),
  ;; the float64 sums in overlapSums' order: partial sum j mod 4 per lane, then (p0 + p1) + (p2 + p3).
  (func (export "sigmoidMap") (param $in i32) (param $out i32) (param $quads i32)
    (param $overlap i32) (param $gt i32) (param $res i32)
    (local $off i32) (local $end i32)
    (local $x v128) (local $y v128) (local $yc v128) (local $n v128) (local $r v128) (local $r2 v128) (local $p v128)
    (local $s v128) (local $g v128) (local $hard v128) (local $gs v128)
    (local $sumLo v128) (local $sumHi v128) (local $interLo v128) (local $interHi v128)
    (local $hardPred v128) (local $hardInter v128) (local $gtCount v128)
    (local.set $end (i32.shl (local.get $quads) (i32.const 4)))
    (block $done
      (br_if $done (i32.eqz (local.get $end)))
      (loop $next
        (local.set $x (v128.load (i32.add (local.get $in) (local.get $off))))
        (local.set $y (f32x4.neg (local.get $x)))
        ;; y clamped to [Y_MIN, Y_MAX] (NaN becomes Y_MIN; NaN lanes are restored below)
        (local.set $yc
          (f32x4.pmin (v128.const f32x4 {{Y_MAX}} {{Y_MAX}} {{Y_MAX}} {{Y_MAX}})
            (f32x4.pmax (v128.const f32x4 {{Y_MIN}} {{Y_MIN}} {{Y_MIN}} {{Y_MIN}}) (local.get $y))))
        (local.set $n
          (f32x4.nearest (f32x4.mul (local.get $yc) (v128.const f32x4 {{LOG2E}} {{LOG2E}} {{LOG2E}} {{LOG2E}}))))
        (local.set $r
          (f32x4.sub
            (f32x4.sub (local.get $yc) (f32x4.mul (local.get $n) (v128.const f32x4 {{LN2_HI}} {{LN2_HI}} {{LN2_HI}} {{LN2_HI}})))
            (f32x4.mul (local.get $n) (v128.const f32x4 {{LN2_LO}} {{LN2_LO}} {{LN2_LO}} {{LN2_LO}}))))
        ;; exp(r) by Estrin's scheme: ((C0 + C1 r) + (C2 + C3 r) r^2) + ((C4 + C5 r) + (C6 + C7 r) r^2) r^4
        (local.set $r2 (f32x4.mul (local.get $r) (local.get $r)))
        (local.set $p
          (f32x4.add
            (f32x4.add
              (f32x4.add (v128.const f32x4 {{C0}} {{C0}} {{C0}} {{C0}}) (f32x4.mul (v128.const f32x4 {{C1}} {{C1}} {{C1}} {{C1}}) (local.get $r)))
              (f32x4.mul
                (f32x4.add (v128.const f32x4 {{C2}} {{C2}} {{C2}} {{C2}}) (f32x4.mul (v128.const f32x4 {{C3}} {{C3}} {{C3}} {{C3}}) (local.get $r)))
                (local.get $r2)))
            (f32x4.mul
              (f32x4.add
                (f32x4.add (v128.const f32x4 {{C4}} {{C4}} {{C4}} {{C4}}) (f32x4.mul (v128.const f32x4 {{C5}} {{C5}} {{C5}} {{C5}}) (local.get $r)))
                (f32x4.mul
                  (f32x4.add (v128.const f32x4 {{C6}} {{C6}} {{C6}} {{C6}}) (f32x4.mul (v128.const f32x4 {{C7}} {{C7}} {{C7}} {{C7}}) (local.get $r)))
                  (local.get $r2)))
              (f32x4.mul (local.get $r2) (local.get $r2)))))
        ;; exp(y) = exp(r) * 2^n, 2^n built from its exponent bits (n in [-126, 127])
        (local.set $p
          (f32x4.mul (local.get $p)
            (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
        (local.set $s
          (f32x4.div (v128.const f32x4 1 1 1 1) (f32x4.add (v128.const f32x4 1 1 1 1) (local.get $p))))
        ;; 0 where y > Y_MAX; NaN lanes take x
        (local.set $s (v128.andnot (local.get $s) (f32x4.gt (local.get $y) (v128.const f32x4 {{Y_MAX}} {{Y_MAX}} {{Y_MAX}} {{Y_MAX}}))))
        (local.set $s (v128.bitselect (local.get $x) (local.get $s) (f32x4.ne (local.get $x) (local.get $x))))
        (v128.store (i32.add (local.get $out) (local.get $off)) (local.get $s))
        (br_if $next (i32.lt_u (local.tee $off (i32.add (local.get $off) (i32.const 16))) (local.get $end)))))
    ;; the overlap sums, a second pass over the written probabilities p
    (block $skip
    (br_if $skip (i32.or (i32.eqz (local.get $overlap)) (i32.eqz (local.get $end))))
    (local.set $off (i32.const 0))
    (loop $sums
      (local.set $p (v128.load (i32.add (local.get $out) (local.get $off))))
      ;; g as four i32 masks (-1 foreground, 0 background)
      (local.set $g
        (i32x4.ne
          (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
            (v128.load32_zero (i32.add (local.get $gt) (i32.shr_u (local.get $off) (i32.const 2))))))
          (v128.const i32x4 0 0 0 0)))
      (local.set $hard (f32x4.gt (local.get $p) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $gtCount (i32x4.sub (local.get $gtCount) (local.get $g)))
      (local.set $hardPred (i32x4.sub (local.get $hardPred) (local.get $hard)))
      (local.set $hardInter (i32x4.sub (local.get $hardInter) (v128.and (local.get $hard) (local.get $g))))
      (local.set $gs (v128.and (local.get $p) (local.get $g)))
      (local.set $sumLo (f64x2.add (local.get $sumLo) (f64x2.promote_low_f32x4 (local.get $p))))
      (local.set $sumHi (f64x2.add (local.get $sumHi) (f64x2.promote_low_f32x4
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $p) (local.get $p)))))
      (local.set $interLo (f64x2.add (local.get $interLo) (f64x2.promote_low_f32x4 (local.get $gs))))
      (local.set $interHi (f64x2.add (local.get $interHi) (f64x2.promote_low_f32x4
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $gs) (local.get $gs)))))
      (br_if $sums (i32.lt_u (local.tee $off (i32.add (local.get $off) (i32.const 16))) (local.get $end))))
    (f64.store (local.get $res)
      (f64.add
        (f64.add (f64x2.extract_lane 0 (local.get $sumLo)) (f64x2.extract_lane 1 (local.get $sumLo)))
        (f64.add (f64x2.extract_lane 0 (local.get $sumHi)) (f64x2.extract_lane 1 (local.get $sumHi)))))
    (f64.store offset=8 (local.get $res)
      (f64.add
        (f64.add (f64x2.extract_lane 0 (local.get $interLo)) (f64x2.extract_lane 1 (local.get $interLo)))
        (f64.add (f64x2.extract_lane 0 (local.get $interHi)) (f64x2.extract_lane 1 (local.get $interHi)))))
    (i32.store offset=16 (local.get $res)
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $hardPred)) (i32x4.extract_lane 1 (local.get $hardPred)))
        (i32.add (i32x4.extract_lane 2 (local.get $hardPred)) (i32x4.extract_lane 3 (local.get $hardPred)))))
    (i32.store offset=20 (local.get $res)
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $hardInter)) (i32x4.extract_lane 1 (local.get $hardInter)))
        (i32.add (i32x4.extract_lane 2 (local.get $hardInter)) (i32x4.extract_lane 3 (local.get $hardInter)))))
    (i32.store offset=24 (local.get $res)
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $gtCount)) (i32x4.extract_lane 1 (local.get $gtCount)))
        (i32.add (i32x4.extract_lane 2 (local.get $gtCount)) (i32x4.extract_lane 3 (local.get $gtCount)))))))
)
