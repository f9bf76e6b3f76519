import Foundation

/// One booster's trees laid out flat, to predict a row at a time. XGBoost's predictor spends about
/// a tenth of a millisecond per booster on one row of these models (its per-call set-up and per-tree
/// bookkeeping), which reading a photo pays 13 times for every strip it reads; walking the same trees
/// here takes a few microseconds. XGBoost trains and stores the model; this only reads its UBJSON
/// form (`multi:softprob`, numerical splits) and predicts what XGBoost predicts, which the tests check.
struct FlatForest: Sendable {
    /// A split (`feature` ≥ 0: rows whose value is below `value` go to `firstChild`, the others to
    /// the child after it) or a leaf (`feature` = −1, `value` its margin).
    struct Node {
        var feature: Int32
        var value: Float
        var firstChild: Int32
    }

    /// Why a model cannot be walked here.
    struct Unusable: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    let classCount: Int
    let featureCount: Int
    private let baseScore: Float
    private let nodes: [Node]
    /// Each tree's root in `nodes` and the class it adds to, in XGBoost's order.
    private let roots: [(node: Int32, classIndex: Int32)]

    /// One tree as XGBoost stores it: per node its children (−1 for a leaf), split feature, and split
    /// value (a leaf's margin for a leaf).
    struct Tree {
        var leftChildren: [Int]
        var rightChildren: [Int]
        var splitFeatures: [Int]
        var splitValues: [Float]
    }

    /// Reads a booster's UBJSON model (`Booster.serialized(format: "ubj")`, the `.ubj` files).
    init(ubj: Data) throws {
        let root: UBJSONValue
        do { root = try UBJSONReader.read(ubj) } catch { throw Unusable(reason: "\(error)") }
        let learner = root["learner"], parameters = learner?["learner_model_param"]
        let model = learner?["gradient_booster"]?["model"]
        guard let objective = learner?["objective"]?["name"]?.stringValue,
              let baseScore = parameters?["base_score"]?.stringValue.flatMap(Float.init),
              let classCount = parameters?["num_class"]?.integerValue,
              let featureCount = parameters?["num_feature"]?.integerValue,
              let treeClasses = model?["tree_info"]?.integersValue,
              case .array(let treeValues) = model?["trees"]
        else { throw Unusable(reason: "not an XGBoost tree model") }
        guard objective == "multi:softprob" || objective == "multi:softmax" else {
            throw Unusable(reason: "objective \(objective), expected multi:softprob")
        }
        let trees = try treeValues.map { tree in
            guard let lefts = tree["left_children"]?.integersValue, let rights = tree["right_children"]?.integersValue,
                  let features = tree["split_indices"]?.integersValue, let values = tree["split_conditions"]?.floatsValue
            else { throw Unusable(reason: "a tree lacks its node arrays") }
            if let types = tree["split_type"]?.integersValue, types.contains(where: { $0 != 0 }) {
                throw Unusable(reason: "categorical splits are not supported")
            }
            return Tree(leftChildren: lefts, rightChildren: rights, splitFeatures: features, splitValues: values)
        }
        try self.init(trees: trees, treeClasses: treeClasses, baseScore: baseScore, classCount: classCount,
                      featureCount: featureCount)
    }

    /// `trees` in XGBoost's order, the i-th adding to class `treeClasses[i]`.
    init(trees: [Tree], treeClasses: [Int], baseScore: Float, classCount: Int, featureCount: Int) throws {
        guard classCount > 1, featureCount > 0 else { throw Unusable(reason: "\(classCount) classes, \(featureCount) features") }
        guard treeClasses.count == trees.count else { throw Unusable(reason: "tree_info and trees differ in length") }
        var nodes: [Node] = []
        var roots: [(Int32, Int32)] = []
        for (tree, classIndex) in zip(trees, treeClasses) {
            guard classIndex >= 0, classIndex < classCount else { throw Unusable(reason: "tree for class \(classIndex)") }
            roots.append((Int32(nodes.count), Int32(classIndex)))
            try Self.append(tree, featureCount: featureCount, to: &nodes)
        }
        self.classCount = classCount
        self.featureCount = featureCount
        self.baseScore = baseScore
        self.nodes = nodes
        self.roots = roots
    }

    /// Lays one tree out with each split's two children side by side (XGBoost numbers them as it
    /// grows the tree, which need not do so).
    private static func append(_ tree: Tree, featureCount: Int, to nodes: inout [Node]) throws {
        let (lefts, rights, features, conditions) = (tree.leftChildren, tree.rightChildren, tree.splitFeatures, tree.splitValues)
        guard !lefts.isEmpty, rights.count == lefts.count, features.count == lefts.count, conditions.count == lefts.count
        else { throw Unusable(reason: "tree arrays empty or of unequal length") }
        let base = nodes.count
        var placed = [Int32](repeating: -1, count: lefts.count)  // XGBoost node → index here
        var queue = [0]
        placed[0] = Int32(base)
        nodes.append(Node(feature: -1, value: 0, firstChild: -1))
        var next = 0
        while next < queue.count {
            let id = queue[next]
            next += 1
            let at = Int(placed[id])
            guard lefts[id] >= 0 else {
                nodes[at] = Node(feature: -1, value: conditions[id], firstChild: -1)
                continue
            }
            let (left, right) = (lefts[id], rights[id])
            guard left < lefts.count, right >= 0, right < lefts.count, left != right, placed[left] < 0, placed[right] < 0,
                  features[id] >= 0, features[id] < featureCount
            else { throw Unusable(reason: "malformed tree") }
            placed[left] = Int32(nodes.count)
            placed[right] = Int32(nodes.count + 1)
            nodes[at] = Node(feature: Int32(features[id]), value: conditions[id], firstChild: Int32(nodes.count))
            nodes.append(Node(feature: -1, value: 0, firstChild: -1))
            nodes.append(Node(feature: -1, value: 0, firstChild: -1))
            queue += [left, right]
        }
    }

    /// Class probabilities of one row of `featureCount` values (bytes, so none is missing), as
    /// XGBoost's softmax gives them.
    func probabilities(_ row: UnsafeBufferPointer<UInt8>) -> [Float] {
        precondition(row.count == featureCount)
        var margins = [Float](repeating: baseScore, count: classCount)
        nodes.withUnsafeBufferPointer { nodes in
            roots.withUnsafeBufferPointer { roots in
                margins.withUnsafeMutableBufferPointer { margins in
                    // Eight trees walked side by side: each step waits on the load before it (the forest
                    // is megabytes, so mostly from far caches), and eight independent walks keep eight
                    // loads in flight. Leaves are added in tree order.
                    @inline(__always) func step(_ node: Node) -> Int {
                        Float(row[Int(node.feature)]) < node.value ? 0 : 1
                    }
                    func leaf(from start: Node) -> Node {
                        var node = start
                        while node.feature >= 0 { node = nodes[Int(node.firstChild) + step(node)] }
                        return node
                    }
                    func add(_ leaf: Node, tree: Int) { margins[Int(roots[tree].classIndex)] += leaf.value }
                    @inline(__always) func next(_ node: Node) -> Node {
                        node.feature >= 0 ? nodes[Int(node.firstChild) + step(node)] : node
                    }
                    var tree = 0
                    while tree + 8 <= roots.count {
                        func root(_ k: Int) -> Node { nodes[Int(roots[tree + k].node)] }
                        var (a, b, c, d) = (root(0), root(1), root(2), root(3))
                        var (e, f, g, h) = (root(4), root(5), root(6), root(7))
                        // Until every walk is at a leaf (feature −1); one that is already stays there.
                        while max(a.feature, b.feature, c.feature, d.feature, e.feature, f.feature, g.feature, h.feature) >= 0 {
                            (a, b, c, d) = (next(a), next(b), next(c), next(d))
                            (e, f, g, h) = (next(e), next(f), next(g), next(h))
                        }
                        add(a, tree: tree); add(b, tree: tree + 1); add(c, tree: tree + 2); add(d, tree: tree + 3)
                        add(e, tree: tree + 4); add(f, tree: tree + 5); add(g, tree: tree + 6); add(h, tree: tree + 7)
                        tree += 8
                    }
                    while tree < roots.count {
                        add(leaf(from: nodes[Int(roots[tree].node)]), tree: tree)
                        tree += 1
                    }
                }
            }
        }
        return Self.softmax(margins)
    }

    /// XGBoost's `common::Softmax`: exponentials of the margins less their largest, in single
    /// precision, over their sum taken in double.
    private static func softmax(_ margins: [Float]) -> [Float] {
        let largest = margins.max()!
        let exponentials = margins.map { expf($0 - largest) }
        let sum = Float(exponentials.reduce(0.0) { $0 + Double($1) })
        return exponentials.map { $0 / sum }
    }
}
