/// Small dense linear systems (a homography's 8 unknowns, a profile's 4 levels).
enum LinearSystem {
    /// Gaussian elimination with partial pivoting on an n×(n+1) augmented matrix; nil when singular
    /// or the solution is not finite.
    static func solve(augmented: [[Double]]) -> [Double]? {
        var a = augmented
        let n = a.count
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) }!
            guard abs(a[pivot][column]) > 1e-12 else { return nil }
            a.swapAt(column, pivot)
            for row in 0..<n where row != column {
                let factor = a[row][column] / a[column][column]
                if factor == 0 { continue }
                for k in column...n { a[row][k] -= factor * a[column][k] }
            }
        }
        let solution = (0..<n).map { a[$0][n] / a[$0][$0] }
        return solution.allSatisfy(\.isFinite) ? solution : nil
    }
}
