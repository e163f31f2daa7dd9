namespace KMeansPS.Imaging.Metrics;

/// <summary>
/// The double operations <see cref="GaussianWindow"/>'s filter uses, over one value (<see cref="DoubleLanesScalar"/>)
/// or a vector (<see cref="DoubleLanesVector128"/> and its generated 256- and 512-bit copies). The filter is written
/// once over it; the bindings are structs, so the JIT specialises and inlines each use. Multiply and Add stay
/// separate (no FMA), so every width rounds as the scalar loop does.
/// </summary>
/// <typeparam name="T"><see cref="double"/> or a vector of <see cref="double"/>.</typeparam>
internal interface IDoubleLanes<T>
    where T : struct
{
    static abstract int Count { get; }

    static abstract T Load(ref double source, nuint index);

    static abstract void Store(T value, ref double destination, nuint index);

    static abstract T Add(T left, T right);

    static abstract T Multiply(T value, T factor);

    /// <summary><paramref name="value"/> in every lane (the filter's weights, made once per call).</summary>
    static abstract T Broadcast(double value);
}
