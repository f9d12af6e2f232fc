;; The WebAssembly SIMD kernel of GeodesicSegmenter's raster-scan geodesic distance (the same
;; forward/backward 8-neighbour sweeps as geodesicSweeps in geodesic-distance.ts, in float32).
;; Each row is relaxed in two steps: the three links from the previous row (forward) or the next
;; row (backward), four cells at a time, then the link from the left (right) neighbour, a scalar
;; scan along the row. Assembled by scripts/build-geodesic-kernel.ts, which writes the bytes to
;; generated/geodesic-kernel-bytes.ts; test/segmenters/geodesic-kernel.test.ts checks that the
;; committed bytes are this file's.
;;
;; Memory: imported, laid out by geodesic-kernel.ts. Planes are 256 x 256 float32 (row stride
;; 1024 bytes) with one guard row before and after. The caller guarantees that every link that
;; leaves the image region (and the guard rows, and the SE link of column 255 and the SW link of
;; column 0) costs +Infinity, so no cell reads outside its plane's guard rows and no distance
;; leaks out of the region; distances outside the region stay +Infinity.
(module
  (import "env" "memory" (memory 1))

  ;; Relax `dist` (byte address of row 0) in place over the h x w region, `sweeps` pairs of passes.
  ;; Cost planes: east (E link of each cell), south (S), se (SE), sw (SW), row stride 1024 bytes.
  (func (export "sweeps") (param $dist i32) (param $east i32) (param $south i32) (param $se i32) (param $sw i32)
    (param $h i32) (param $w i32) (param $sweeps i32)
    (local $it i32) (local $y i32) (local $row i32) (local $crow i32) (local $off i32) (local $end i32)
    (local $x i32) (local $carry f32) (local $v f32) (local $d v128)
    (local.set $end (i32.shl (i32.shr_u (i32.add (local.get $w) (i32.const 3)) (i32.const 2)) (i32.const 4)))
    (block $none
      (br_if $none (i32.or (i32.eqz (local.get $h)) (i32.eqz (local.get $w))))
      (loop $sweep
        ;; ---- forward: rows top to bottom
        (local.set $y (i32.const 0))
        (loop $fwdRow
          (local.set $row (i32.add (local.get $dist) (i32.shl (local.get $y) (i32.const 10))))
          (if (i32.gt_u (local.get $y) (i32.const 0))
            (then
              ;; links from the row above: S of (x), SE of (x - 1), SW of (x + 1)
              (local.set $crow (i32.shl (i32.sub (local.get $y) (i32.const 1)) (i32.const 10)))
              (local.set $off (i32.const 0))
              (loop $fwdQuad
                (local.set $x (i32.add (local.get $row) (local.get $off)))
                (local.set $d
                  (f32x4.min
                    (f32x4.min (v128.load (local.get $x))
                      (f32x4.add (v128.load (i32.sub (local.get $x) (i32.const 1024)))
                        (v128.load (i32.add (i32.add (local.get $south) (local.get $crow)) (local.get $off)))))
                    (f32x4.min
                      (f32x4.add (v128.load (i32.sub (local.get $x) (i32.const 1028)))
                        (v128.load (i32.sub (i32.add (i32.add (local.get $se) (local.get $crow)) (local.get $off))
                          (i32.const 4))))
                      (f32x4.add (v128.load (i32.sub (local.get $x) (i32.const 1020)))
                        (v128.load (i32.add (i32.add (i32.add (local.get $sw) (local.get $crow)) (local.get $off))
                          (i32.const 4)))))))
                (v128.store (local.get $x) (local.get $d))
                (br_if $fwdQuad (i32.lt_u (local.tee $off (i32.add (local.get $off) (i32.const 16))) (local.get
                  $end))))))
          ;; link from the left neighbour: a scan along the row
          (local.set $crow (i32.add (local.get $east) (i32.shl (local.get $y) (i32.const 10))))
          (local.set $carry (f32.load (local.get $row)))
          (local.set $off (i32.const 4))
          (block $fwdScanDone
            (loop $fwdScan
              (br_if $fwdScanDone (i32.ge_u (local.get $off) (i32.shl (local.get $w) (i32.const 2))))
              (local.set $v (f32.add (local.get $carry) (f32.load (i32.sub (i32.add (local.get $crow) (local.get
                $off)) (i32.const 4)))))
              (local.set $carry (f32.min (f32.load (i32.add (local.get $row) (local.get $off))) (local.get $v)))
              (f32.store (i32.add (local.get $row) (local.get $off)) (local.get $carry))
              (local.set $off (i32.add (local.get $off) (i32.const 4)))
              (br $fwdScan)))
          (br_if $fwdRow (i32.lt_u (local.tee $y (i32.add (local.get $y) (i32.const 1))) (local.get $h))))
        ;; ---- backward: rows bottom to top
        (local.set $y (local.get $h))
        (loop $bwdRow
          (local.set $y (i32.sub (local.get $y) (i32.const 1)))
          (local.set $row (i32.add (local.get $dist) (i32.shl (local.get $y) (i32.const 10))))
          (local.set $crow (i32.shl (local.get $y) (i32.const 10)))
          (if (i32.lt_u (i32.add (local.get $y) (i32.const 1)) (local.get $h))
            (then
              ;; links to the row below: S to (x), SE to (x + 1), SW to (x - 1)
              (local.set $off (i32.const 0))
              (loop $bwdQuad
                (local.set $x (i32.add (local.get $row) (local.get $off)))
                (local.set $d
                  (f32x4.min
                    (f32x4.min (v128.load (local.get $x))
                      (f32x4.add (v128.load (i32.add (local.get $x) (i32.const 1024)))
                        (v128.load (i32.add (i32.add (local.get $south) (local.get $crow)) (local.get $off)))))
                    (f32x4.min
                      (f32x4.add (v128.load (i32.add (local.get $x) (i32.const 1028)))
                        (v128.load (i32.add (i32.add (local.get $se) (local.get $crow)) (local.get $off))))
                      (f32x4.add (v128.load (i32.add (local.get $x) (i32.const 1020)))
                        (v128.load (i32.add (i32.add (local.get $sw) (local.get $crow)) (local.get $off)))))))
                (v128.store (local.get $x) (local.get $d))
                (br_if $bwdQuad (i32.lt_u (local.tee $off (i32.add (local.get $off) (i32.const 16))) (local.get
                  $end))))))
          ;; link to the right neighbour: a scan along the row, right to left
          (local.set $crow (i32.add (local.get $east) (local.get $crow)))
          (local.set $off (i32.shl (i32.sub (local.get $w) (i32.const 1)) (i32.const 2)))
          (local.set $carry (f32.load (i32.add (local.get $row) (local.get $off))))
          (block $bwdScanDone
            (loop $bwdScan
              (br_if $bwdScanDone (i32.eqz (local.get $off)))
              (local.set $off (i32.sub (local.get $off) (i32.const 4)))
              (local.set $v (f32.add (local.get $carry) (f32.load (i32.add (local.get $crow) (local.get $off)))))
              (local.set $carry (f32.min (f32.load (i32.add (local.get $row) (local.get $off))) (local.get $v)))
              (f32.store (i32.add (local.get $row) (local.get $off)) (local.get $carry))
              (br $bwdScan)))
          (br_if $bwdRow (i32.gt_u (local.get $y) (i32.const 0))))
        (br_if $sweep (i32.lt_u (local.tee $it (i32.add (local.get $it) (i32.const 1))) (local.get $sweeps))))))

  ;; a[i] = min(a[i], b[i]) for the first `rows` rows of two planes (byte addresses).
  (func (export "minInto") (param $a i32) (param $b i32) (param $rows i32)
    (local $off i32) (local $end i32)
    (local.set $end (i32.shl (local.get $rows) (i32.const 10)))
    (block $done
      (br_if $done (i32.eqz (local.get $end)))
      (loop $next
        (v128.store (i32.add (local.get $a) (local.get $off))
          (f32x4.min (v128.load (i32.add (local.get $a) (local.get $off))) (v128.load (i32.add (local.get $b)
            (local.get $off)))))
        (br_if $next (i32.lt_u (local.tee $off (i32.add (local.get $off) (i32.const 16))) (local.get $end))))))

  ;; out = the geodesic logits of distance planes pos (D+) and neg (D-), first `rows` rows (byte
  ;; addresses, float32): scale * (neg - pos) / (neg + pos); +scale where only pos is finite,
  ;; -scale where only neg is, 0 where neither is or both are 0.
  (func (export "logits") (param $pos i32) (param $neg i32) (param $out i32) (param $rows i32) (param $scale f32)
    (local $off i32) (local $end i32) (local $a v128) (local $b v128) (local $r v128) (local $s v128)
    (local $ai v128) (local $bi v128) (local $sum v128)
    (local.set $end (i32.shl (local.get $rows) (i32.const 10)))
    (local.set $s (f32x4.splat (local.get $scale)))
    (block $done
      (br_if $done (i32.eqz (local.get $end)))
      (loop $next
        (local.set $a (v128.load (i32.add (local.get $pos) (local.get $off))))
        (local.set $b (v128.load (i32.add (local.get $neg) (local.get $off))))
        (local.set $sum (f32x4.add (local.get $a) (local.get $b)))
        (local.set $r (f32x4.div (f32x4.mul (local.get $s) (f32x4.sub (local.get $b) (local.get $a))) (local.get $sum)))
        (local.set $ai (f32x4.eq (local.get $a) (v128.const f32x4 inf inf inf inf)))
        (local.set $bi (f32x4.eq (local.get $b) (v128.const f32x4 inf inf inf inf)))
        (local.set $r (v128.bitselect (f32x4.neg (local.get $s)) (local.get $r) (local.get $ai)))
        (local.set $r (v128.bitselect (local.get $s) (local.get $r) (local.get $bi)))
        ;; both infinite, or both 0: 0
        (local.set $r (v128.andnot (local.get $r)
          (v128.or (v128.and (local.get $ai) (local.get $bi)) (f32x4.eq (local.get $sum) (v128.const f32x4 0 0 0 0)))))
        (v128.store (i32.add (local.get $out) (local.get $off)) (local.get $r))
        (br_if $next (i32.lt_u (local.tee $off (i32.add (local.get $off) (i32.const 16))) (local.get $end))))))

  ;; Bilinear upsampling of k low-res planes (256x256 float32 at byte address low) to k planes of
  ;; h x w at out, as lowResToImage (sam-frame.ts) does it: first along x for the `rows` low-res rows
  ;; the image needs, into hz (rows x w), with per-column source byte offsets x0, x1 (i32) and
  ;; weights wx (f32); then along y, four pixels at a time, with per-row byte offsets y0, y1 of hz
  ;; rows and weights wy. Rows are written whole quads: out needs 12 bytes of slack at its end.
  (func (export "upsample") (param $low i32) (param $k i32) (param $hz i32) (param $out i32) (param $h i32) (param $w
    i32)
    (param $rows i32) (param $x0 i32) (param $x1 i32) (param $wx i32) (param $y0 i32) (param $y1 i32) (param $wy i32)
    (local $m i32) (local $r i32) (local $c i32) (local $src i32) (local $dst i32) (local $rowBytes i32)
    (local $a f32) (local $ta i32) (local $tb i32) (local $top v128) (local $fy v128)
    (local.set $rowBytes (i32.shl (local.get $w) (i32.const 2)))
    (block $planesDone
      (loop $plane
        (br_if $planesDone (i32.ge_u (local.get $m) (local.get $k)))
        ;; along x
        (local.set $r (i32.const 0))
        (loop $hrow
          (local.set $src (i32.add (local.get $low) (i32.shl (i32.add (i32.shl (local.get $m) (i32.const 16))
            (i32.shl (local.get $r) (i32.const 8))) (i32.const 2))))
          (local.set $dst (i32.add (local.get $hz) (i32.mul (local.get $r) (local.get $rowBytes))))
          (local.set $c (i32.const 0))
          (loop $hcol
            (local.set $a (f32.load (i32.add (local.get $src) (i32.load (i32.add (local.get $x0) (local.get $c))))))
            (f32.store (i32.add (local.get $dst) (local.get $c))
              (f32.add (local.get $a)
                (f32.mul
                  (f32.sub (f32.load (i32.add (local.get $src) (i32.load (i32.add (local.get $x1) (local.get $c)))))
                    (local.get $a))
                  (f32.load (i32.add (local.get $wx) (local.get $c))))))
            (br_if $hcol (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 4))) (local.get $rowBytes))))
          (br_if $hrow (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows))))
        ;; along y
        (local.set $dst (i32.add (local.get $out) (i32.mul (i32.mul (local.get $m) (local.get $h)) (local.get
          $rowBytes))))
        (local.set $r (i32.const 0))
        (loop $vrow
          (local.set $ta (i32.add (local.get $hz) (i32.load (i32.add (local.get $y0) (i32.shl (local.get $r)
            (i32.const 2))))))
          (local.set $tb (i32.add (local.get $hz) (i32.load (i32.add (local.get $y1) (i32.shl (local.get $r)
            (i32.const 2))))))
          (local.set $fy (f32x4.splat (f32.load (i32.add (local.get $wy) (i32.shl (local.get $r) (i32.const 2))))))
          (local.set $c (i32.const 0))
          (loop $vcol
            (local.set $top (v128.load (i32.add (local.get $ta) (local.get $c))))
            (v128.store (i32.add (local.get $dst) (local.get $c))
              (f32x4.add (local.get $top)
                (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $tb) (local.get $c))) (local.get $top))
                  (local.get $fy))))
            (br_if $vcol (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 16))) (local.get $rowBytes))))
          (local.set $dst (i32.add (local.get $dst) (local.get $rowBytes)))
          (br_if $vrow (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $h))))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $plane))))
)
