/// Renders a recipe: background, label, camera effects. Also gives the exact markup quad.
struct PhotoRenderer {
    let recipe: PhotoRecipe

    /// The picture and the quad of its bars region (tl, tr, br, bl as read, pixel-centre coordinates).
    func render() -> (image: Image, quad: Quad) {
        var planes = ColourPlanes(width: recipe.width, height: recipe.height)
        BackgroundPainter(seed: recipe.backgroundSeed).paint(into: &planes)
        let placement = self.placement
        LabelPainter(layout: recipe.layout, design: recipe.design, placement: placement).paint(into: &planes)
        recipe.effects.apply(to: &planes)
        return (planes.image(), quad(placement))
    }

    /// The label's map into the picture. The pose keeps the label in front of the camera, so the
    /// map always exists.
    private var placement: LabelPlacement {
        LabelPlacement(pose: recipe.pose, labelRectangle: recipe.design.paperCorners)!
    }

    private func quad(_ placement: LabelPlacement) -> Quad {
        let corners = recipe.layout.barsCorners.map(placement.imagePoint)
        return Quad(topLeft: corners[0], topRight: corners[1], bottomRight: corners[2], bottomLeft: corners[3])
    }
}
