/// Renders a recipe: background, a neighbouring symbol if any, the label, camera effects, JPEG.
/// Also gives the exact markup quad.
struct PhotoRenderer {
    let recipe: PhotoRecipe

    /// The picture and the quad of its bars region (tl, tr, br, bl as read, pixel-centre coordinates).
    func render() throws -> (image: Image, quad: Quad) {
        var planes = ColourPlanes(width: recipe.width, height: recipe.height)
        BackgroundPainter(seed: recipe.backgroundSeed).paint(into: &planes)
        let placement = self.placement
        if let neighbour = recipe.neighbour, let shifted = placement.shifted(by: neighbour.offset) {
            LabelPainter(layout: neighbour.layout, design: neighbour.design, placement: shifted).paint(into: &planes)
        }
        let painter = LabelPainter(layout: recipe.layout, design: recipe.design, placement: placement,
                                   bend: recipe.bend, defects: recipe.defects)
        painter.paint(into: &planes)
        recipe.effects.apply(to: &planes)
        return (try recipe.effects.compress(planes.image()), quad(painter))
    }

    /// The label's map into the picture. The pose keeps the label in front of the camera, so the
    /// map always exists.
    private var placement: LabelPlacement {
        LabelPlacement(pose: recipe.pose, labelRectangle: recipe.design.paperCorners)!
    }

    /// The bars' corners, where a trimmed label's paper ends inside them at its edge; on a bent label
    /// the bars between the corners leave the quad's straight edges.
    private func quad(_ painter: LabelPainter) -> Quad {
        let paper = recipe.design.paper
        let corners = recipe.layout.barsCorners.map { corner in
            painter.imagePoint(Point(x: min(max(corner.x, paper.left), paper.right), y: corner.y))
        }
        return Quad(topLeft: corners[0], topRight: corners[1], bottomRight: corners[2], bottomLeft: corners[3])
    }
}
