import type { Rng } from "../../core/rng";
import { InvalidArgumentError } from "../../core/errors";

/**
 * A (semi-)orthogonal matrix [rows, cols] (row-major, float32) scaled by `gain`, as PyTorch's
 * `nn.init.orthogonal_` builds it: a standard-normal matrix (drawn from `rng`) is
 * orthonormalised along its shorter side, with the signs fixed so that the QR factor R has a
 * positive diagonal. Rows are orthonormal when rows <= cols, columns otherwise.
 *
 * PyTorch layouts: a dense weight is [out, in]; a conv weight [out, in, kh, kw] is flattened to
 * [out, in * kh * kw]. Pure apart from the draws from `rng`.
 * @throws InvalidArgumentError on non-positive sizes.
 */
export function orthogonalMatrix(rows: number, cols: number, gain: number, rng: Rng): Float32Array {
  if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0)) {
    throw new InvalidArgumentError(`orthogonalMatrix: sizes must be positive integers, got ${rows} x ${cols}`);
  }
  // Work on the tall orientation [m, n] with m >= n: orthonormalise its n columns.
  const transpose = rows < cols;
  const m = transpose ? cols : rows;
  const n = transpose ? rows : cols;
  const a = new Float64Array(m * n); // column-major: column j at [j * m, (j + 1) * m)
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[j * m + i] = rng.normal();
  // Modified Gram-Schmidt with one re-orthogonalisation pass; the resulting R has a positive
  // diagonal, which is exactly PyTorch's sign convention (Q * sign(diag(R))).
  for (let j = 0; j < n; j++) {
    const cj = j * m;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        const ck = k * m;
        let dot = 0;
        for (let i = 0; i < m; i++) dot += (a[ck + i] as number) * (a[cj + i] as number);
        for (let i = 0; i < m; i++) a[cj + i] = (a[cj + i] as number) - dot * (a[ck + i] as number);
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += (a[cj + i] as number) ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) a[cj + i] = (a[cj + i] as number) / norm;
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // Tall case: entry (r, c) is a[c * m + r]; wide case: the transpose of the tall matrix.
      out[r * cols + c] = gain * (transpose ? (a[r * m + c] as number) : (a[c * m + r] as number));
    }
  }
  return out;
}
