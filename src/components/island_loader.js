// Berth's island loader, inlined by island_loader.rs with the bundle's two
// URLs. Every page is complete server HTML and the WASM only brings a few
// parts to life, so nothing is preloaded: the bundle is fetched after the
// page has loaded and the browser is idle, where it cannot hold back the
// first paint, and each island wakes in a task of its own, so none of them
// adds to a long task.
(async (js, wasm) => {
  await new Promise((go) => {
    const idle = () =>
      "requestIdleCallback" in window ? requestIdleCallback(go, { timeout: 1500 }) : setTimeout(go, 0);
    if (document.readyState === "complete") idle();
    else addEventListener("load", idle, { once: true });
  });
  const bundle = await import(js);
  await bundle.default({ module_or_path: wasm });
  bundle.hydrate();
  // querySelectorAll lists islands in document order, so an island always
  // wakes before the islands inside its children; those first let their
  // parent attach the children (the hook the parent left on them).
  for (const island of document.querySelectorAll("leptos-island")) {
    await new Promise((go) => setTimeout(go, 0));
    const wake = bundle[island.dataset.component];
    if (!wake) {
      console.warn(`berth: no island named ${island.dataset.component}`);
      continue;
    }
    island.parentElement?.closest("leptos-children")?.$$on_hydrate?.();
    await wake(island);
  }
  // Tests and the benchmark wait for this mark.
  document.body.dataset.hydrated = "true";
})
