// The query page: YASGUI (vendored, served from /static) pointed at this server's /sparql,
// with the stored queries as examples. Without YASGUI, the examples fill the plain form.
(function () {
  "use strict";
  const examples = JSON.parse(document.getElementById("example-data").textContent);
  const byName = new Map(examples.map((e) => [e.name, e]));
  const endpoint = new URL("/sparql", window.location.href).href;
  let setQuery;
  if (window.Yasgui) {
    const yasgui = new window.Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      persistenceId: null,
      endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    });
    window.vjkgYasgui = yasgui;
    setQuery = (text) => { yasgui.getTab().setQuery(text); };
  } else {
    const area = document.querySelector("#plain textarea");
    setQuery = (text) => { area.value = text; };
  }
  document.querySelectorAll("button.example").forEach((button) => {
    button.addEventListener("click", () => {
      const example = byName.get(button.dataset.name);
      if (example) { setQuery(example.sparql); }
    });
  });
})();
