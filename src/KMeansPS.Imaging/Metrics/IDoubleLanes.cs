namespace KMeansPS.Imaging.Metrics;

/// <summary>
/// The float operations <see cref="GaussianWindow"/>'s filter uses, over one value (<see cref="FloatLanesScalar"/>)
/// or a vector (<see cref="FloatLanesVector128"/> and its generated 256- and 512-bit copies). The filter is written
/// once over it; the bindings are structs, so the JIT specialises and inlines each use. Multiply and Add stay
/// separate (no FMA), so every width rounds as the scalar loop does.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or a vector of <see cref="float"/>.</typeparam>
internal interface IFloatLanes<T>
    where T : struct
{
    static abstract int Count { get; }

    static abstract T Load(ref float source, nuint index);

    static abstract void Store(T value, ref float destination, nuint index);

    static abstract T Add(T left, T right);

    static abstract T Multiply(T value, float factor);
}
