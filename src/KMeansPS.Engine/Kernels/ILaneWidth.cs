namespace KMeansPS.Engine.Kernels;

/// <summary>
/// The float arithmetic a squared distance needs, at one width: <typeparamref name="TFloats"/> holds
/// <see cref="Count"/> lanes, one point per lane (a VectorN&lt;float&gt;, or a plain float for one point).
/// Kernels written once over it are specialised per width by the JIT (the implementations are structs),
/// so each width compiles to the code a hand-written copy would. Multiply and Add are separate operations and
/// MultiplyAdd is one (fused, one rounding) at every width, with or without an FMA instruction, so every width
/// rounds as the scalar reference does.
/// </summary>
internal unsafe interface ILaneWidth<TFloats> where TFloats : struct
{
    static abstract int Count { get; }

    static abstract TFloats Load(float* source);

    static abstract TFloats Broadcast(float value);

    static abstract TFloats Subtract(TFloats left, TFloats right);

    static abstract TFloats Multiply(TFloats left, TFloats right);

    static abstract TFloats Add(TFloats left, TFloats right);

    /// <summary>a * b + c rounded once (see <see cref="FusedMultiplyAdd"/>).</summary>
    static abstract TFloats MultiplyAdd(TFloats a, TFloats b, TFloats c);
}
