// The date control: the slider moves the date field; letting go shows that date.
(function () {
  var form = document.getElementById("date-form");
  if (!form) return;
  var field = form.querySelector("input[type=date]");
  var slider = form.querySelector("input[type=range]");
  var start = Date.parse(slider.dataset.min);
  var day = 86400000;
  function iso(n) { return new Date(start + n * day).toISOString().slice(0, 10); }
  slider.addEventListener("input", function () { field.value = iso(+slider.value); });
  slider.addEventListener("change", function () { form.submit(); });
  field.addEventListener("change", function () { if (field.value) form.submit(); });
})();
