using System.Reflection;
using System.Runtime.Loader;
using WeightInit.Testing;

namespace WeightInit.Conformance.Sut;

/// <summary>A <c>--sut</c> specification that cannot be resolved (bad syntax, missing file, type, module or mutant).</summary>
public sealed class SutResolutionException : WeightInitException
{
    public SutResolutionException(string message) : base(message) { }
    public SutResolutionException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// The <c>assembly:PATH[:TYPE]</c> SUT kind: a .NET assembly with a public class implementing <see cref="IInitializerUnderTest"/>
/// (public parameterless constructor), loaded in its own <see cref="AssemblyLoadContext"/>; TYPE (full or simple name)
/// picks one when the assembly has several.
/// </summary>
public static class AssemblySut
{
    /// <param name="rest">PATH[:TYPE], the part after <c>assembly:</c>.</param>
    /// <param name="repoRoot">Relative paths are tried against the working directory, then it.</param>
    public static IInitializerUnderTest Load(string rest, string repoRoot)
    {
        if (rest.Length == 0)
            throw new SutResolutionException("Invalid --sut 'assembly:': expected assembly:PATH[:TYPE] (PATH of a .NET .dll with a public IInitializerUnderTest implementation).");
        string path = rest;
        string? typeName = null;
        int last = rest.LastIndexOf(':');
        if (last > 0)
        {
            string tail = rest[(last + 1)..];
            if (tail.Length > 0 && !tail.Contains('/') && !tail.Contains('\\') && !tail.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            {
                path = rest[..last];
                typeName = tail;
            }
        }
        string full = FindFile(path, repoRoot)
            ?? throw new SutResolutionException($"Assembly '{path}' not found (looked in {Directory.GetCurrentDirectory()} and {repoRoot}).");

        Assembly assembly;
        try
        {
            // An assembly the harness already has (e.g. WeightInit.dll itself, or the mutants) is used as loaded: a second
            // copy in another context would carry a different IInitializerUnderTest type.
            var simpleName = AssemblyName.GetAssemblyName(full).Name;
            assembly = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => a.GetName().Name == simpleName)
                ?? new SutLoadContext(full).LoadFromAssemblyPath(full);
        }
        catch (BadImageFormatException ex)
        {
            throw new SutResolutionException($"'{full}' is not a .NET assembly: {ex.Message}", ex);
        }
        catch (FileLoadException ex)
        {
            throw new SutResolutionException($"Cannot load assembly '{full}': {ex.Message}", ex);
        }

        Type[] types;
        try { types = assembly.GetExportedTypes(); }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            throw new SutResolutionException($"Cannot read the types of '{full}' (a dependency is missing?): {ex.GetBaseException().Message}", ex);
        }

        var candidates = types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IInitializerUnderTest).IsAssignableFrom(t)).ToArray();
        if (candidates.Length == 0)
        {
            var foreign = types.Where(t => t.GetInterfaces().Any(i => i.FullName == typeof(IInitializerUnderTest).FullName)).ToArray();
            if (foreign.Length > 0)
                throw new SutResolutionException($"'{full}' implements {typeof(IInitializerUnderTest).FullName} from a different WeightInit assembly " +
                    $"({foreign[0].GetInterfaces().First(i => i.FullName == typeof(IInitializerUnderTest).FullName).Assembly.GetName()}); build it against this harness' WeightInit " +
                    $"({typeof(IInitializerUnderTest).Assembly.GetName()}).");
            throw new SutResolutionException($"'{full}' has no public non-abstract class implementing {typeof(IInitializerUnderTest).FullName}.");
        }
        Type type;
        if (typeName is not null)
        {
            var matching = candidates.Where(t => t.FullName == typeName || t.Name == typeName).ToArray();
            if (matching.Length != 1)
            {
                bool exists = types.Any(t => t.FullName == typeName || t.Name == typeName);
                throw new SutResolutionException(matching.Length == 0
                    ? $"Type '{typeName}' {(exists ? "does not implement " + typeof(IInitializerUnderTest).FullName : "is not a public type of '" + full + "'")}; implementations: {string.Join(", ", candidates.Select(t => t.FullName))}."
                    : $"Type name '{typeName}' is ambiguous in '{full}': {string.Join(", ", matching.Select(t => t.FullName))}; use the full name.");
            }
            type = matching[0];
        }
        else if (candidates.Length > 1)
            throw new SutResolutionException($"'{full}' has {candidates.Length} IInitializerUnderTest implementations; pick one with assembly:PATH:TYPE: {string.Join(", ", candidates.Select(t => t.FullName))}.");
        else
            type = candidates[0];

        if (type.GetConstructor(Type.EmptyTypes) is null)
            throw new SutResolutionException($"{type.FullName} needs a public parameterless constructor to be used as a system under test.");
        try
        {
            return (IInitializerUnderTest)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException ex)
        {
            throw new SutResolutionException($"{type.FullName}'s constructor threw {ex.InnerException?.GetType().Name}: {ex.InnerException?.Message}", ex);
        }
    }

    internal static string? FindFile(string path, string repoRoot)
    {
        foreach (var candidate in new[] { Path.GetFullPath(path), Path.GetFullPath(Path.Combine(repoRoot, path)) })
            if (File.Exists(candidate)) return candidate;
        return null;
    }

    /// <summary>
    /// Loads a user's SUT assembly with its own dependencies (from its .deps.json / folder), but shares every assembly
    /// the harness already has (WeightInit, where <see cref="IInitializerUnderTest"/> lives), so the interface is the same type.
    /// </summary>
    private sealed class SutLoadContext : AssemblyLoadContext
    {
        private readonly AssemblyDependencyResolver _resolver;

        public SutLoadContext(string mainAssembly) : base($"sut:{Path.GetFileName(mainAssembly)}", isCollectible: false) =>
            _resolver = new AssemblyDependencyResolver(mainAssembly);

        protected override Assembly? Load(AssemblyName name)
        {
            if (Default.Assemblies.Any(a => AssemblyName.ReferenceMatchesDefinition(name, a.GetName())))
                return null;   // shared with the harness
            try
            {
                return Default.LoadFromAssemblyName(name);   // on the harness' probing paths: share it
            }
            catch (Exception ex) when (ex is FileNotFoundException or FileLoadException)
            {
                var path = _resolver.ResolveAssemblyToPath(name);
                return path is null ? null : LoadFromAssemblyPath(path);
            }
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
            return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
        }
    }
}
